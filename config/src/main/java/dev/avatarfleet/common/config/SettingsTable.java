package dev.avatarfleet.common.config;

import java.util.List;

/**
 * Renders declarations as the README's Markdown table: variable, default, allowed values, meaning.
 * why: the README documents every setting; rendering it from the declarations keeps one source.
 */
public final class SettingsTable {

    private SettingsTable() {
    }

    /** One table, one row per setting, in the order given. */
    public static String markdown(List<Setting<?>> settings) {
        StringBuilder out = new StringBuilder("| variable | default | allowed | meaning |\n|---|---|---|---|\n");
        for (Setting<?> s : settings) {
            if (s.meaning() == null) {
                throw new IllegalStateException(s.name() + " has no meaning: declare it with .means(...)");
            }
            String meaning = s.alias() == null ? s.meaning()
                    : s.meaning() + "; the former name `" + s.alias() + "` is still read while this one is unset, with a warning";
            out.append("| `").append(s.name()).append("` | ").append(cell(s.defaultText())).append(" | ")
                    .append(cell(s.allowed())).append(" | ").append(cell(meaning)).append(" |\n");
        }
        return out.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
