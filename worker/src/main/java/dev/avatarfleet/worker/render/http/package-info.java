/**
 * The worker's diagnostic routes of the seed container: {@code POST /benchmark} and {@code GET|POST /test-frame}.
 */
package dev.avatarfleet.worker.render.http;
