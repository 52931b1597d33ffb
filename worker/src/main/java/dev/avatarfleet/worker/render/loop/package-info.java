/**
 * The worker's one render loop: every 40 ms (absolute schedule) one tick of audio from each attached session,
 * one model call for the whole batch, each session's frame to its sink; and the load report that stops the
 * worker taking sessions it cannot render at 25 FPS.
 */
package dev.avatarfleet.worker.render.loop;
