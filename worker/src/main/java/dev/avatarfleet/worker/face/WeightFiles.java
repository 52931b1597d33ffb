package dev.avatarfleet.worker.face;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a face model's files are read from: the worker jar (the build copies them there from the npm package
 * {@code @vladmandic/face-api}, see ops/face-models) or a folder. File names come from a weights manifest, so
 * only plain names are accepted: a manifest cannot point outside its folder.
 */
public interface WeightFiles {

    /** The classpath folder the worker build copies the weights into. */
    String CLASSPATH_FOLDER = "/dev/avatarfleet/worker/face/model/";

    /** Plain file names only: no separators, no parent references. */
    Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    /**
     * Opens one file of the model folder.
     *
     * @throws NoSuchFileException when it is not there
     */
    InputStream open(String fileName) throws IOException;

    /** Where the files are, for messages. */
    String describe();

    /** The weights inside the worker jar. */
    static WeightFiles classpath() {
        return new WeightFiles() {
            @Override
            public InputStream open(String fileName) throws IOException {
                InputStream in = WeightFiles.class.getResourceAsStream(CLASSPATH_FOLDER + plain(fileName));
                if (in == null) {
                    throw new NoSuchFileException(CLASSPATH_FOLDER + fileName,
                            null, "not on the classpath: build the worker with Maven, which fetches ops/face-models");
                }
                return in;
            }

            @Override
            public String describe() {
                return "classpath:" + CLASSPATH_FOLDER;
            }
        };
    }

    /** The weights in a folder (the npm package's {@code model/} folder, or a copy of it). */
    static WeightFiles directory(Path dir) {
        Objects.requireNonNull(dir, "dir");
        return new WeightFiles() {
            @Override
            public InputStream open(String fileName) throws IOException {
                return Files.newInputStream(dir.resolve(plain(fileName)));
            }

            @Override
            public String describe() {
                return dir.toString();
            }
        };
    }

    private static String plain(String fileName) throws IOException {
        if (fileName == null || !PLAIN_NAME.matcher(fileName).matches() || fileName.contains("..")) {
            throw new IOException("not a plain file name: " + fileName);
        }
        return fileName;
    }
}
