package dev.avatarfleet.api.launch;

import dev.avatarfleet.api.access.AccessFilter;
import dev.avatarfleet.api.access.Fingerprints;
import dev.avatarfleet.api.access.LaunchAccess;
import dev.avatarfleet.api.http.MethodGuard;
import dev.avatarfleet.api.http.RequestReadDeadline;
import dev.avatarfleet.api.image.ImageResolver;
import dev.avatarfleet.common.http.ApiException;
import dev.avatarfleet.common.http.JsonReply;
import dev.avatarfleet.common.store.TenantAdmission;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;

/**
 * {@code POST /launch}: the seed container's launch, for the whole fleet. Reads the multipart or
 * JSON body (bounded), checks the credential, every field and the image, and only then hands the
 * launch to the {@link LaunchIntake}; so a refused launch stores nothing.
 *
 * <pre>
 * curl -X POST http://localhost:8089/launch \
 *   -F "livekit_url=ws://127.0.0.1:7880" -F "livekit_token=$TOKEN" -F "room_name=my-room" \
 *   -F "avatar_image=@./avatar.jpg"
 * {"status":"pending","task_id":"...","room_name":"my-room"}
 * </pre>
 */
public final class LaunchService implements HttpService {
    /** Waits for a task to reach a terminal state (async_mode=false) and returns its current view. */
    @FunctionalInterface
    public interface SyncWaiter {
        Map<String, Object> awaitEnd(String taskId, Duration timeout);
    }

    private final LaunchAccess access;
    private final Fingerprints fingerprints;
    private final LaunchFormReader formReader;
    private final LaunchValidator validator;
    private final ImageResolver images;
    private final LaunchIntake intake;
    private final SyncWaiter waiter;
    private final Duration syncTimeout;
    private final String defaultBillingSecret;

    /**
     * @param access               who may launch, its rate and its tenant
     * @param fingerprints         the salted fingerprint of the billing secret ({@code billing_key_id})
     * @param defaultBillingSecret {@code BITHUMAN_API_SECRET}: what a launch without its own secret is accounted to, or null
     */
    public LaunchService(LaunchAccess access, Fingerprints fingerprints, LaunchFormReader formReader, LaunchValidator validator,
                         ImageResolver images, LaunchIntake intake, SyncWaiter waiter, Duration syncTimeout, String defaultBillingSecret) {
        this.access = access;
        this.fingerprints = fingerprints;
        this.formReader = formReader;
        this.validator = validator;
        this.images = images;
        this.intake = intake;
        this.waiter = waiter;
        this.syncTimeout = syncTimeout;
        this.defaultBillingSecret = defaultBillingSecret;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/launch", this::launch);
        MethodGuard.only(rules, "/launch", "POST");
    }

    private void launch(ServerRequest req, ServerResponse res) throws IOException {
        String contentType = req.headers().first(HeaderNames.CONTENT_TYPE).orElse(null);
        String bearer = AccessFilter.bearer(req.headers().first(HeaderNames.AUTHORIZATION).orElse(null));
        String secretHeader = req.headers().first(HeaderNames.create("api-secret")).orElse(null);
        LaunchForm form;
        try (InputStream body = req.content().inputStream()) {
            form = formReader.read(contentType, body);
        } catch (IOException | RuntimeException e) {
            // why: a read cut off by the read deadline is a 408, not the I/O error the closed socket caused
            RequestReadDeadline.bodyRead(req);
            throw e;
        }
        RequestReadDeadline.bodyRead(req);
        if (form.asyncMode() == null) {
            // why: the plugin takes async from its api_url's query (?async=false) and sends the field only in
            // multipart; in its JSON mode the query string is the only place the choice arrives
            String fromQuery = req.query().first("async_mode").asOptional().or(() -> req.query().first("async").asOptional()).orElse(null);
            form = form.withAsyncMode(fromQuery);
        }
        LaunchAccess.Permit permit = access.check(req, form.apiSecret());
        ValidLaunch valid = validator.validate(form);
        TenantAdmission tenancy = permit.take();
        // why: the seed's api_secret "overrides the billing secret (defaults to BITHUMAN_API_SECRET)"; the plugin
        // sends its secret as the api-secret header (JSON) or Bearer (multipart), so those count as the launch's own
        String launchSecret = firstPresent(form.apiSecret(), secretHeader, bearer);
        ValidLaunch launch = valid.withBillingKeyId(fingerprints.billingKeyId(launchSecret, defaultBillingSecret))
                .withTenancy(tenancy);
        ImageResolver.ResolvedImage image = images.resolve(launch.image());
        LaunchIntake.Admitted admitted = intake.admit(launch, image);
        if (launch.asyncMode()) {
            JsonReply.send(res, Status.OK_200, JsonReply.object(
                    "status", admitted.status(), "task_id", admitted.taskId(), "room_name", admitted.roomName()));
            return;
        }
        // why: async_mode=false holds the reply until the session ends, bounded so a client never hangs forever
        Map<String, Object> task = waiter.awaitEnd(admitted.taskId(), syncTimeout);
        if (task == null) {
            throw ApiException.notFound("task " + admitted.taskId() + " is no longer known");
        }
        JsonReply.send(res, Status.OK_200, task);
    }

    private static String firstPresent(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
