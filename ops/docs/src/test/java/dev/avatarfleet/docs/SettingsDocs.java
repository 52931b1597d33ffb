package dev.avatarfleet.docs;

import dev.avatarfleet.api.ApiSettings;
import dev.avatarfleet.api.dashboard.TryItSettings;
import dev.avatarfleet.api.access.AccessSettings;
import dev.avatarfleet.common.config.FleetSettings;
import dev.avatarfleet.common.config.Node;
import dev.avatarfleet.common.config.Setting;
import dev.avatarfleet.common.config.SettingsTable;
import dev.avatarfleet.common.config.WorkerSettings;
import dev.avatarfleet.common.image.ImageLimits;
import dev.avatarfleet.common.logging.Logging;
import dev.avatarfleet.common.secret.LaunchRecordKey;
import dev.avatarfleet.devroom.DevRoomConfig;
import dev.avatarfleet.testkit.MediaNetwork;
import dev.avatarfleet.worker.render.RenderSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The generated parts of the documentation: each settings table, between its markers in a Markdown file,
 * rendered from the declarations, and the index of where each setting is declared. {@link #main} writes
 * them ({@code ops/settings-table}); {@code SettingsDocsTest} fails while a file differs.
 */
final class SettingsDocs {

    /** Where each setting is declared: the declaring class and its {@code SETTINGS}, in one list per class. */
    static final Map<Class<?>, List<Setting<?>>> DECLARATIONS = declarations();

    /** A generated table: {@code <!-- settings:ID ... -->} to {@code <!-- /settings:ID -->} in {@code file}. */
    record Section(String file, String id, String table) {
    }

    private SettingsDocs() {
    }

    private static Map<Class<?>, List<Setting<?>>> declarations() {
        Map<Class<?>, List<Setting<?>>> all = new LinkedHashMap<>();
        all.put(FleetSettings.class, FleetSettings.SETTINGS);
        all.put(Logging.class, Logging.SETTINGS);
        all.put(LaunchRecordKey.class, LaunchRecordKey.SETTINGS);
        all.put(ApiSettings.class, ApiSettings.SETTINGS);
        all.put(AccessSettings.class, AccessSettings.SETTINGS);
        all.put(ImageLimits.class, ImageLimits.SETTINGS);
        all.put(TryItSettings.class, TryItSettings.SETTINGS);
        all.put(WorkerSettings.class, WorkerSettings.SETTINGS);
        all.put(RenderSettings.class, RenderSettings.SETTINGS);
        all.put(DevRoomConfig.class, DevRoomConfig.SETTINGS);
        all.put(MediaNetwork.class, List.of(MediaNetwork.ADDRESSES));
        return all;
    }

    static List<Section> sections() {
        return List.of(
                new Section("README.md", "api", SettingsTable.markdown(concat(ApiSettings.SETTINGS, AccessSettings.SETTINGS, ImageLimits.SETTINGS, TryItSettings.SETTINGS))),
                new Section("README.md", "fleet", SettingsTable.markdown(concat(FleetSettings.SETTINGS, LaunchRecordKey.SETTINGS, Logging.SETTINGS))),
                new Section("README.md", "worker", SettingsTable.markdown(
                        concat(WorkerSettings.SETTINGS, RenderSettings.SETTINGS, ImageLimits.SETTINGS))),
                new Section("ops/devroom/README.md", "devroom", SettingsTable.markdown(concat(DevRoomConfig.SETTINGS, Logging.SETTINGS))),
                new Section("docs/architecture.md", "index", index()));
    }

    /** Every setting, where it is declared and which processes read it. */
    static String index() {
        StringBuilder out = new StringBuilder("| setting | declared in | read by |\n|---|---|---|\n");
        DECLARATIONS.forEach((owner, settings) -> settings.forEach(s -> out.append("| `").append(s.name()).append("` | `")
                .append(owner.getName().replace("dev.avatarfleet.", "")).append("` | ")
                .append(s.readers().stream().sorted().map(Node::label).collect(Collectors.joining(", "))).append(" |\n")));
        return out.toString();
    }

    /** {@code document} with the section's table between its markers. */
    static String render(String document, Section section) {
        String open = "<!-- settings:" + section.id() + " ";
        String close = "<!-- /settings:" + section.id() + " -->";
        int start = document.indexOf(open);
        int end = document.indexOf(close);
        if (start < 0 || end < start) {
            throw new IllegalStateException(section.file() + " has no '" + open + "...-->' ... '" + close + "' markers");
        }
        int tableStart = document.indexOf("-->", start) + "-->".length() + 1;
        return document.substring(0, tableStart) + section.table() + document.substring(end);
    }

    /** Each file with every one of its sections rendered, by path relative to {@code root}. */
    static Map<String, String> expected(Path root) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        for (Section s : sections()) {
            String current = files.containsKey(s.file()) ? files.get(s.file()) : Files.readString(root.resolve(s.file()));
            files.put(s.file(), render(current, s));
        }
        return files;
    }

    /** The files whose text differs from {@link #expected}. */
    static List<String> stale(Path root) throws IOException {
        List<String> stale = new ArrayList<>();
        for (var e : expected(root).entrySet()) {
            if (!Files.readString(root.resolve(e.getKey())).equals(e.getValue())) {
                stale.add(e.getKey());
            }
        }
        return stale;
    }

    /** Writes the generated sections; the argument is the checkout's root. */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        for (var e : expected(root).entrySet()) {
            Files.writeString(root.resolve(e.getKey()), e.getValue());
        }
        System.out.println("settings tables written: " + String.join(", ", expected(root).keySet()));
    }

    @SafeVarargs
    private static List<Setting<?>> concat(List<Setting<?>>... lists) {
        return Stream.of(lists).flatMap(List::stream).toList();
    }
}
