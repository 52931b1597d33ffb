package dev.avatarfleet.worker.livekit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.avatarfleet.common.logging.LogContext;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class EventsInContextTest {

    /**
     * Every method of {@link RoomConnection.Events}, defaults included, reaches the session's events, under the
     * session's log context. why: the wrapper once left out {@code joined} (a default method), so the session never
     * registered its audio handler and clear_buffer RPC, and no playback was ever reported.
     */
    @Test
    void forwardsEveryMethodOfTheInterfaceUnderTheSessionsLogContext() throws Exception {
        List<String> reached = new ArrayList<>();
        RoomConnection.Events session = (RoomConnection.Events) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RoomConnection.Events.class}, (proxy, method, args) -> {
                    reached.add(method.getName() + " task_id=" + MDC.get(LogContext.TASK_ID));
                    return null;
                });
        RoomConnection.Events wrapped = new EventsInContext(session, LogContext.session("t-1", "w-1", "room-1"));
        TreeSet<String> expected = new TreeSet<>();
        for (Method method : RoomConnection.Events.class.getMethods()) {
            if (java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            Object[] args = new Object[method.getParameterCount()];
            Class<?>[] types = method.getParameterTypes();
            for (int i = 0; i < args.length; i++) {
                // why: a primitive parameter cannot take null; any value does, only the forwarding is checked
                args[i] = types[i] == boolean.class ? Boolean.TRUE : types[i].isPrimitive() ? 0 : null;
            }
            method.invoke(wrapped, args);
            expected.add(method.getName() + " task_id=t-1");
        }
        assertEquals(expected, new TreeSet<>(reached), "each method of Events must be forwarded, in the session's log context");
        assertEquals(expected.size(), reached.size());
        assertEquals(Map.of(), MDC.getCopyOfContextMap() == null ? Map.of() : MDC.getCopyOfContextMap(),
                "the context is closed after each call");
    }
}
