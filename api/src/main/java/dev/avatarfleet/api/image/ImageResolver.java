package dev.avatarfleet.api.image;


/**
 * Turns a launch's {@link ImageSource} into checked image bytes: the upload, the inline base64 or
 * a safe download, each through {@link AvatarImageCheck}; or no bytes at all for the default avatar.
 *
 * why: the default avatar is the worker's own (drawn once, its face geometry known, so it needs no
 * face detection); a launch without an image carries no image hash and stores nothing.
 */
public final class ImageResolver {
    /** Bytes that decoded as an image, and what they are; bytes and info are null for the default avatar. */
    public record ResolvedImage(byte[] bytes, AvatarImageCheck.ImageInfo info, String source) {

        /** The launch gave no image: the worker's default avatar. */
        public static final ResolvedImage DEFAULT = new ResolvedImage(null, null, "default");

        public boolean isDefault() {
            return bytes == null;
        }
    }

    private final ImageDownloader downloader;
    private final AvatarImageCheck check;

    public ImageResolver(ImageDownloader downloader, AvatarImageCheck check) {
        this.downloader = downloader;
        this.check = check;
    }

    /** Resolves and checks the image; throws the 400/413 of the step that failed. */
    public ResolvedImage resolve(ImageSource source) {
        return switch (source) {
            case ImageSource.Upload upload -> checked(upload.bytes(), "avatar_image", "upload");
            case ImageSource.Inline inline -> checked(inline.bytes(), "image", "base64");
            case ImageSource.Url url -> checked(downloader.download(url.uri()), "downloaded image", "url");
            case ImageSource.Default ignored -> ResolvedImage.DEFAULT;
        };
    }

    private ResolvedImage checked(byte[] bytes, String what, String sourceName) {
        return new ResolvedImage(bytes, check.check(bytes, what), sourceName);
    }
}
