/**
 * The worker's renderer: the avatar model, avatar preparation, the one batched 25 FPS render loop,
 * and the /benchmark and /test-frame routes.
 *
 * <ul>
 *   <li>{@link dev.avatarfleet.worker.render.model.ModelSignature}: the SavedModel signature {@code animate} every model has.</li>
 *   <li>{@link dev.avatarfleet.worker.render.model.AvatarModel}: builds the default model into an empty {@code MODEL_DIR}
 *       ({@code DefaultAvatarGraph}), loads what is there, refuses a different signature
 *       ({@link dev.avatarfleet.worker.render.model.ModelSignatureException}), runs one batch per call.</li>
 *   <li>{@link dev.avatarfleet.worker.render.avatar.FaceCropPreparer}: the {@link dev.avatarfleet.worker.render.avatar.AvatarPreparer}:
 *       common.image intake, OpenCV Haar face detection ({@link dev.avatarfleet.worker.render.avatar.HaarFaceDetector}),
 *       crop and scale, LRU cache by SHA-256.</li>
 *   <li>{@link dev.avatarfleet.worker.render.loop.BatchRenderLoop}: the {@link dev.avatarfleet.worker.render.loop.Renderer}:
 *       absolute 40 ms schedule, one model call per tick for all sessions, saturation report.</li>
 *   <li>{@link dev.avatarfleet.worker.render.RenderEngine}: wires the above from
 *       {@link dev.avatarfleet.worker.render.RenderSettings}; {@link dev.avatarfleet.worker.render.http.RenderHttpService}
 *       serves {@code POST /benchmark} and {@code GET|POST /test-frame}.</li>
 * </ul>
 */
package dev.avatarfleet.worker.render;
