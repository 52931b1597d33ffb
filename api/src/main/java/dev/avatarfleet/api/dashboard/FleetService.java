package dev.avatarfleet.api.dashboard;

import dev.avatarfleet.api.http.MethodGuard;
import dev.avatarfleet.common.http.JsonReply;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /fleet}: every live worker as the dashboard shows it ({@link FleetView}).
 * <pre>
 * curl http://localhost:8089/fleet
 * {"workers":[{"worker_id":"worker-1","url":"http://10.0.0.7:8090","state":"ready","active_sessions":1,"max_sessions":8,
 *   "render_load":0.21,"device":"CPU","heartbeat_age_ms":420}],"totals":{"status":"ready","active_sessions":1,...}}
 * </pre>
 */
public final class FleetService implements HttpService {

    private final FleetView fleet;

    public FleetService(FleetView fleet) {
        this.fleet = fleet;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/fleet", (req, res) -> JsonReply.send(res, Status.OK_200, fleet.snapshot()));
        MethodGuard.only(rules, "/fleet", "GET");
    }
}
