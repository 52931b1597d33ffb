/**
 * The worker's renderer, by duty. {@link dev.avatarfleet.worker.render.RenderEngine} starts the parts in order
 * from {@link dev.avatarfleet.worker.render.RenderSettings}; each sub-package owns one duty:
 *
 * <ul>
 *   <li>{@code render.model}: the avatar model: the SavedModel signature every model has
 *       ({@link dev.avatarfleet.worker.render.model.ModelSignature}), the default model built into an empty
 *       {@code MODEL_DIR}, loading and running one batch per call
 *       ({@link dev.avatarfleet.worker.render.model.AvatarModel}), and the model benchmark.</li>
 *   <li>{@code render.avatar}: avatar preparation: image intake, OpenCV face detection, crop and scale, cached
 *       by SHA-256 ({@link dev.avatarfleet.worker.render.avatar.FaceCropPreparer}).</li>
 *   <li>{@code render.loop}: the one batched 25 FPS loop ({@link dev.avatarfleet.worker.render.loop.BatchRenderLoop}):
 *       absolute 40 ms schedule, one model call per tick for all sessions, saturation report.</li>
 *   <li>{@code render.http}: {@code POST /benchmark} and {@code GET|POST /test-frame}
 *       ({@link dev.avatarfleet.worker.render.http.RenderHttpService}).</li>
 * </ul>
 *
 * The frame and audio types the render loop shares with the LiveKit side live in {@code worker.media}.
 */
package dev.avatarfleet.worker.render;
