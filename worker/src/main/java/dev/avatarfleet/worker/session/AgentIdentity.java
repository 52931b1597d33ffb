package dev.avatarfleet.worker.session;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import livekit.LivekitModels.ParticipantInfo;

/**
 * Tracks whose agent this avatar is: the identity in our own token's {@code lk.publish_on_behalf}
 * attribute, or, when there is none, the only AGENT participant in the room. Audio and RPC from
 * anyone else are ignored. Also tells when that agent has left.
 */
public final class AgentIdentity {

    /** The participant attribute the agent puts in the avatar's token. */
    public static final String PUBLISH_ON_BEHALF = "lk.publish_on_behalf";

    private final String self;
    private final String named;
    private final Map<String, ParticipantInfo> agents = new HashMap<>();
    private boolean agentSeen;
    private boolean agentLeft;

    /**
     * @param self   our own participant (from the JoinResponse)
     * @param others the participants already in the room
     */
    public AgentIdentity(ParticipantInfo self, List<ParticipantInfo> others) {
        this.self = self.getIdentity();
        String attribute = self.getAttributesOrDefault(PUBLISH_ON_BEHALF, "");
        this.named = attribute.isBlank() ? null : attribute;
        update(others);
    }

    /** Applies a participant update (joins, changes, departures). */
    public synchronized void update(List<ParticipantInfo> participants) {
        for (ParticipantInfo p : participants) {
            if (p.getIdentity().equals(self)) {
                continue;
            }
            boolean gone = p.getState() == ParticipantInfo.State.DISCONNECTED;
            boolean isOurs = named != null ? named.equals(p.getIdentity()) : p.getKind() == ParticipantInfo.Kind.AGENT;
            if (!isOurs) {
                continue;
            }
            if (gone) {
                if (agents.remove(p.getIdentity()) != null || named != null) {
                    agentLeft = agentSeen && (named != null || agents.isEmpty());
                }
            } else {
                agents.put(p.getIdentity(), p);
                agentSeen = true;
                agentLeft = false;
            }
        }
    }

    /** Whether {@code identity} is our agent (the named one, or the only agent present). */
    public synchronized boolean isAgent(String identity) {
        if (identity == null || identity.isEmpty()) {
            return false;
        }
        if (named != null) {
            return named.equals(identity);
        }
        return agents.size() == 1 && agents.containsKey(identity);
    }

    /** The agent's identity, or null while unknown. */
    public synchronized String agent() {
        if (named != null) {
            return named;
        }
        return agents.size() == 1 ? agents.keySet().iterator().next() : null;
    }

    /** True once the agent was in the room and has left it. */
    public synchronized boolean agentLeft() {
        return agentLeft;
    }
}
