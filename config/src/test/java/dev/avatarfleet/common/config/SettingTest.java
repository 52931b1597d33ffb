package dev.avatarfleet.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingTest {

    private static final Setting<Integer> SLOTS = Setting.integer("SLOTS", 8, 1, 1024).readBy(Node.WORKER).means("slots");

    @Test
    void anUnsetOrBlankVariableReadsAsTheDefault() {
        assertEquals(8, new Env(Map.of()).get(SLOTS));
        assertEquals(8, new Env(Map.of("SLOTS", "  ")).get(SLOTS));
        assertEquals(12, new Env(Map.of("SLOTS", " 12 ")).get(SLOTS));
    }

    @Test
    void aValueOutOfBoundsOrOfTheWrongTypeNamesTheVariable() {
        SettingsException e = assertThrows(SettingsException.class, () -> new Env(Map.of("SLOTS", "0")).get(SLOTS));
        assertEquals("SLOTS", e.variable());
        assertTrue(e.getMessage().contains("between 1 and 1024"), e.getMessage());
        assertEquals("SLOTS", assertThrows(SettingsException.class, () -> new Env(Map.of("SLOTS", "eight")).get(SLOTS)).variable());
    }

    @Test
    void theDeclarationCarriesWhatTheReadmeShows() {
        assertEquals("`8`", SLOTS.defaultText());
        assertEquals("1..1024", SLOTS.allowed());
        assertEquals(Set.of(Node.WORKER), SLOTS.readers());
        assertEquals("500..5000 ms", Setting.millis("T_MS", 1000, 500, 5000).allowed());
        assertEquals("(empty)", Setting.list("L").defaultText());
        assertEquals("URL (redis, rediss)", Setting.url("U", "redis://h:1", Set.of("rediss", "redis")).allowed());
    }

    @Test
    void aDefaultOutsideItsOwnBoundsIsRefusedAtDeclaration() {
        assertThrows(IllegalArgumentException.class, () -> Setting.integer("X", 0, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> Setting.choice("X", "xml", "text", "json"));
        assertThrows(IllegalArgumentException.class, () -> Setting.integer("lower_case", 1, 1, 10));
    }

    @Test
    void eachKindParsesItsValues() {
        Env env = new Env(Map.of("B", "off", "D", "90", "L", " a, ,b ", "C", "JSON", "H", "k1:9092,k2:9093", "I", "avatar-fleet:"));
        assertEquals(false, env.get(Setting.bool("B", true)));
        assertEquals(Duration.ofSeconds(90), env.get(Setting.seconds("D", 1, 1, 100)));
        assertEquals(List.of("a", "b"), env.get(Setting.list("L")));
        assertEquals("json", env.get(Setting.choice("C", "text", "text", "json")));
        assertEquals("k1:9092,k2:9093", env.get(Setting.hostPorts("H", "x:1")));
        assertEquals("avatar-fleet:", env.get(Setting.identifier("I", "p", 64)));
        assertThrows(SettingsException.class, () -> new Env(Map.of("H", "no-port")).get(Setting.hostPorts("H", "x:1")));
        assertThrows(SettingsException.class, () -> new Env(Map.of("I", "a b")).get(Setting.identifier("I", "p", 64)));
        assertThrows(SettingsException.class, () -> new Env(Map.of("C", "xml")).get(Setting.choice("C", "text", "text", "json")));
    }

    @Test
    void aComputedDefaultIsCheckedLikeAValue() {
        Setting<String> id = Setting.identifier("ID", null, 8);
        assertEquals("host-1", new Env(Map.of()).get(id, "host-1"));
        assertEquals("mine", new Env(Map.of("ID", "mine")).get(id, "host-1"));
        assertEquals("ID", assertThrows(SettingsException.class, () -> new Env(Map.of()).get(id, "far-too-long-a-name")).variable());
    }

    @Test
    void aDeprecatedAliasIsReadOnlyWhileTheNewNameIsUnset() {
        Setting<Long> bytes = Setting.whole("MAX_IMAGE_BYTES", 10_000, 1024, 1L << 30).deprecatedAlias("IMAGE_MAX_BYTES");
        assertEquals(10_000L, new Env(Map.of()).get(bytes));
        assertEquals(2048L, new Env(Map.of("IMAGE_MAX_BYTES", "2048")).get(bytes));
        assertEquals(4096L, new Env(Map.of("IMAGE_MAX_BYTES", "2048", "MAX_IMAGE_BYTES", "4096")).get(bytes));
        // why: a bad value under the old name must say the old name, the one the operator wrote
        assertEquals("IMAGE_MAX_BYTES", assertThrows(SettingsException.class,
                () -> new Env(Map.of("IMAGE_MAX_BYTES", "12")).get(bytes)).variable());
    }

    @Test
    void theTableHasOneRowPerSettingWithItsMeaning() {
        String table = SettingsTable.markdown(List.of(SLOTS, Setting.text("SECRET", null).means("a | b")));
        assertEquals("""
                | variable | default | allowed | meaning |
                |---|---|---|---|
                | `SLOTS` | `8` | 1..1024 | slots |
                | `SECRET` | (unset) | text | a \\| b |
                """, table);
        assertThrows(IllegalStateException.class, () -> SettingsTable.markdown(List.of(Setting.bool("UNSAID", true))));
    }
}
