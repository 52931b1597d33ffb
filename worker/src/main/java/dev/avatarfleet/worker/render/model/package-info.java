/**
 * The avatar model: the {@code animate} signature every SavedModel must have, the default model written into
 * an empty {@code MODEL_DIR}, the loaded model run one batch per call, the device it runs on, and the timing
 * {@code POST /benchmark} reports. Knows nothing of sessions or of the loop's schedule.
 */
package dev.avatarfleet.worker.render.model;
