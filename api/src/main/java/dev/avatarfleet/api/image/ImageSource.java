package dev.avatarfleet.api.image;

/** Where a launch's avatar image comes from, decided from the fields before any byte is fetched. */
public sealed interface ImageSource {
    /** Bytes uploaded as the {@code avatar_image} part. */
    record Upload(byte[] bytes) implements ImageSource {
    }

    /** An http(s) URL to download ({@code avatar_image_url}, or JSON {@code image} as a URL). */
    record Url(java.net.URI uri) implements ImageSource {
    }

    /** Base64 bytes from the JSON {@code image} field, already decoded strictly. */
    record Inline(byte[] bytes) implements ImageSource {
    }

    /** No image given: the default avatar. */
    record Default() implements ImageSource {
    }
}
