package dev.avatarfleet.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.avatarfleet.common.config.Setting;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The settings tables in README.md, ops/devroom/README.md and docs/architecture.md are the declarations
 * rendered; {@code ops/settings-table} regenerates them.
 */
class SettingsDocsTest {

    /** The checkout's root: this module is {@code ops/docs}. */
    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("../..").normalize();

    @Test
    void theDocumentedTablesAreTheDeclarations() throws Exception {
        if (Boolean.getBoolean("settings.write")) {
            SettingsDocs.main(new String[] {ROOT.toString()});
        }
        List<String> stale = SettingsDocs.stale(ROOT);
        assertTrue(stale.isEmpty(), "the settings tables in " + stale + " differ from the declarations (the Setting constants);"
                + " regenerate them with: ops/settings-table");
    }

    @Test
    void everySettingConstantOfADeclaringClassIsInItsList() throws Exception {
        for (var entry : SettingsDocs.DECLARATIONS.entrySet()) {
            for (Field f : entry.getKey().getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == Setting.class) {
                    f.setAccessible(true);
                    assertTrue(entry.getValue().contains(f.get(null)),
                            entry.getKey().getSimpleName() + "." + f.getName() + " is declared but not in its SETTINGS list");
                }
            }
        }
    }

    @Test
    void eachSettingIsDeclaredOnceWithAMeaningAndItsReaders() {
        Set<String> names = new HashSet<>();
        List<String> twice = new ArrayList<>();
        for (List<Setting<?>> settings : SettingsDocs.DECLARATIONS.values()) {
            for (Setting<?> s : settings) {
                for (String name : s.alias() == null ? List.of(s.name()) : List.of(s.name(), s.alias())) {
                    if (!names.add(name)) {
                        twice.add(name);
                    }
                }
                assertNotNull(s.meaning(), s.name() + " has no meaning");
                assertFalse(s.readers().isEmpty(), s.name() + " names no process that reads it");
            }
        }
        assertEquals(List.of(), twice, "declared more than once");
    }

    @Test
    void aSectionIsRenderedBetweenItsMarkersOnly() {
        String doc = "intro\n<!-- settings:x generated -->\nold table\n<!-- /settings:x -->\noutro\n";
        assertEquals("intro\n<!-- settings:x generated -->\n| new |\n<!-- /settings:x -->\noutro\n",
                SettingsDocs.render(doc, new SettingsDocs.Section("f.md", "x", "| new |\n")));
    }
}
