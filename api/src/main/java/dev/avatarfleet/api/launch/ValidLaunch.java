package dev.avatarfleet.api.launch;

import dev.avatarfleet.api.image.ImageSource;
import dev.avatarfleet.common.store.TenantAdmission;

/**
 * A launch whose fields passed every check that needs no network and no storage.
 *
 * @param livekitUrl   the LiveKit URL (ws, wss, http or https)
 * @param livekitToken the token as sent
 * @param token        what the token says (identity, room, expiry)
 * @param roomName     the room (equal to the token's grant)
 * @param prompt       the motion prompt, or null for the default
 * @param asyncMode    false when the caller asked to wait for the session to end
 * @param avatarId     the caller's avatar id, or null
 * @param image        where the avatar image comes from
 * @param billingKeyId fingerprint of the billing secret the session is accounted to, or null
 * @param tenancy      the tenant the launch is admitted under and its session quota
 */
public record ValidLaunch(
        String livekitUrl,
        String livekitToken,
        LiveKitToken token,
        String roomName,
        String prompt,
        boolean asyncMode,
        String avatarId,
        ImageSource image,
        String billingKeyId,
        TenantAdmission tenancy) {

    public ValidLaunch {
        tenancy = tenancy == null ? TenantAdmission.NONE : tenancy;
    }

    /** The same launch, accounted to the billing secret with this fingerprint. */
    public ValidLaunch withBillingKeyId(String id) {
        return new ValidLaunch(livekitUrl, livekitToken, token, roomName, prompt, asyncMode, avatarId, image, id, tenancy);
    }

    /** The same launch, admitted under this tenant and quota. */
    public ValidLaunch withTenancy(TenantAdmission t) {
        return new ValidLaunch(livekitUrl, livekitToken, token, roomName, prompt, asyncMode, avatarId, image, billingKeyId, t);
    }
}
