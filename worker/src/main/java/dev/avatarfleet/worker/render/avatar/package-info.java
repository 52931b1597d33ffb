/**
 * Avatar preparation: image bytes (or none, for the default avatar) decoded, face found, cropped and scaled to
 * the video size, cached by image hash. What comes out ({@link dev.avatarfleet.worker.render.avatar.PreparedAvatar})
 * is what a session attaches to the render loop.
 */
package dev.avatarfleet.worker.render.avatar;
