package dev.avatarfleet.api.image;

import dev.avatarfleet.api.launch.ImageSource;

/**
 * Turns a launch's {@link ImageSource} into checked image bytes: the upload, the inline base64,
 * a safe download, or the default avatar; every one goes through {@link AvatarImageCheck}.
 */
public final class ImageResolver {
    /** Bytes that decoded as an image, and what they are. */
    public record ResolvedImage(byte[] bytes, AvatarImageCheck.ImageInfo info, String source) {
    }

    private final ImageDownloader downloader;
    private final AvatarImageCheck check;
    private final byte[] defaultAvatar;

    public ImageResolver(ImageDownloader downloader, AvatarImageCheck check) {
        this.downloader = downloader;
        this.check = check;
        this.defaultAvatar = DefaultAvatar.bytes();
    }

    /** Resolves and checks the image; throws the 400/413 of the step that failed. */
    public ResolvedImage resolve(ImageSource source) {
        return switch (source) {
            case ImageSource.Upload upload -> checked(upload.bytes(), "avatar_image", "upload");
            case ImageSource.Inline inline -> checked(inline.bytes(), "image", "base64");
            case ImageSource.Url url -> checked(downloader.download(url.uri()), "downloaded image", "url");
            case ImageSource.Default ignored -> checked(defaultAvatar, "default avatar", "default");
        };
    }

    private ResolvedImage checked(byte[] bytes, String what, String sourceName) {
        return new ResolvedImage(bytes, check.check(bytes, what), sourceName);
    }
}
