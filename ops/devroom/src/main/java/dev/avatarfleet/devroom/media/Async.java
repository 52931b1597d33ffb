package dev.avatarfleet.devroom.media;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** Blocking waits on webrtc-java's callback-style SDP operations (called on a participant's virtual thread). */
final class Async {
    // why: SDP operations finish in milliseconds; a stuck one must not hold the participant's executor forever
    private static final long TIMEOUT_SECONDS = 10;

    private Async() {
    }

    static RTCSessionDescription create(Consumer<CreateSessionDescriptionObserver> op) {
        CompletableFuture<RTCSessionDescription> f = new CompletableFuture<>();
        op.accept(new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                f.complete(description);
            }

            @Override
            public void onFailure(String error) {
                f.completeExceptionally(new MediaException(error));
            }
        });
        return await(f);
    }

    static void set(Consumer<SetSessionDescriptionObserver> op) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        op.accept(new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                f.complete(null);
            }

            @Override
            public void onFailure(String error) {
                f.completeExceptionally(new MediaException(error));
            }
        });
        await(f);
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MediaException("interrupted");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof MediaException m ? m : new MediaException(String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            throw new MediaException("SDP operation timed out");
        }
    }

    /** An SDP operation failed. */
    static final class MediaException extends RuntimeException {
        MediaException(String message) {
            super(message);
        }
    }
}
