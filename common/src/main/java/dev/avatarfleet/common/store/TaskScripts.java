package dev.avatarfleet.common.store;

/**
 * The Lua scripts of the task store. Each runs atomically in Redis, so any number of API nodes
 * and workers can admit, claim, stop and end tasks at once without losing an update.
 *
 * <p>Time: every timestamp and every liveness decision is Redis's own clock ({@code TIME}), read
 * inside the script; no node's clock is trusted (a node 10 s fast must not reap the fleet). Times
 * in hashes are epoch milliseconds; the {@code tasks} and {@code terminal} indexes are scored in
 * microseconds, so their order is well defined.
 *
 * <p>Claims: a worker's write about a task (running, warnings, its end, a hand-back) carries its
 * claim, the worker id and the attempt; a write of an attempt that is no longer the task's is
 * refused ({@code not_owner}).
 *
 * <p>Keys, all under the prefix {@code p}: {@code task:<id>} (hash), {@code launch:<id>} (the
 * launch as admitted, for a re-enqueue when it has no Kafka record; gone when the task ends),
 * {@code tasks} (zset, by creation), {@code active} (set of pending and running ids),
 * {@code terminal} (zset, by end), {@code dedup:<len>:<room>|<identity>[|<tenant>]} (the active task of a
 * room and avatar, of a tenant), {@code workers} (zset, by heartbeat ms), {@code worker:<id>} (hash),
 * {@code worker:<id>:tasks} (set), {@code epoch} (the id of this generation of the data: a Redis
 * that lost its data gets a new one), {@code lease:<name>}, channel {@code stop:<worker id>}; per
 * tenant {@code tenant:<t>:tasks} (zset, the tenant's tasks scored as in {@code tasks}) and
 * {@code tenant:<t>:active} (set, its pending and running ids: a task leaves it when it ends, and any that
 * ended otherwise (its record expired) leave at the tenant's next admission). A task adopted or reasserted after
 * Redis lost its data has no tenant (the launch record does not carry one): only an operator's key sees it.
 */
final class TaskScripts {

    private TaskScripts() {
    }

    private static final String PRELUDE = """
            -- why: Redis 5 and 6 need this before a write that follows TIME; 7 always replicates effects
            if redis.replicate_commands then redis.replicate_commands() end
            local function clock()
              local t = redis.call('TIME')
              local us = tonumber(t[2])
              return t[1] .. string.format('%03d', math.floor(us / 1000)), t[1] .. string.format('%06d', us)
            end
            local function dedup_key(p, room, identity, tenant)
              room = room or ''
              identity = identity or ''
              local k = p .. 'dedup:' .. string.len(room) .. ':' .. room .. '|' .. identity
              -- why: two tenants' rooms of one name are two rooms (their own LiveKit servers); each repeat finds its own
              if tenant and tenant ~= '' then k = k .. '|' .. tenant end
              return k
            end
            local function is_active(st)
              return st == 'pending' or st == 'running'
            end
            local function ensure_epoch(p, candidate)
              local e = redis.call('GET', p .. 'epoch')
              if not e then
                redis.call('SET', p .. 'epoch', candidate)
                e = candidate
              end
              return e
            end
            local function drop(p, id)
              local tenant = redis.call('HGET', p .. 'task:' .. id, 'tenant')
              if tenant then
                redis.call('ZREM', p .. 'tenant:' .. tenant .. ':tasks', id)
                redis.call('SREM', p .. 'tenant:' .. tenant .. ':active', id)
              end
              redis.call('DEL', p .. 'task:' .. id)
              redis.call('ZREM', p .. 'tasks', id)
              redis.call('ZREM', p .. 'terminal', id)
            end
            local function enforce_cap(p, cap)
              local n = redis.call('ZCARD', p .. 'terminal')
              local dropped = 0
              if n > cap then
                local old = redis.call('ZRANGE', p .. 'terminal', 0, n - cap - 1)
                for _, o in ipairs(old) do drop(p, o); dropped = dropped + 1 end
              end
              return dropped
            end
            local function finish(p, id, status, err, reason, retention_ms, cap)
              local ms, us = clock()
              local k = p .. 'task:' .. id
              local t = redis.call('HMGET', k, 'room_name', 'avatar_identity', 'worker_id', 'tenant')
              redis.call('HSET', k, 'status', status, 'completed_at', ms)
              if err ~= '' then redis.call('HSET', k, 'error', err) end
              if reason ~= '' then redis.call('HSET', k, 'end_reason', reason) end
              redis.call('SREM', p .. 'active', id)
              redis.call('ZADD', p .. 'terminal', us, id)
              if t[4] then redis.call('SREM', p .. 'tenant:' .. t[4] .. ':active', id) end
              local dk = dedup_key(p, t[1], t[2], t[4])
              if redis.call('GET', dk) == id then redis.call('DEL', dk) end
              if t[3] then redis.call('SREM', p .. 'worker:' .. t[3] .. ':tasks', id) end
              redis.call('DEL', p .. 'launch:' .. id)
              -- why: a backstop so Redis frees the record even when no pruning duty runs
              redis.call('PEXPIRE', k, retention_ms)
              enforce_cap(p, cap)
            end
            -- a worker's claim on a task: this worker, this attempt, and the task still active
            local function holds_claim(t_status, t_worker, t_attempts, wid, attempt)
              return is_active(t_status) and t_worker == wid and tonumber(t_attempts) == tonumber(attempt)
            end
            local legal = {
              pending = {running = true, failed = true, cancelled = true},
              running = {completed = true, failed = true, cancelled = true}
            }
            """;

    /**
     * Tenants (issue 10): a task's {@code tenant} field, the tenant's task index and its active set, and its
     * session quota, checked in the same atomic step as the fleet's capacity.
     */
    private static final String TENANCY = """
            -- the tenant's active count when it is at its quota, else nil; forgets its ended tasks on the way
            local function tenant_at_quota(p, tenant, quota)
              if tenant == '' then return nil end
              local ak = p .. 'tenant:' .. tenant .. ':active'
              for _, t in ipairs(redis.call('SMEMBERS', ak)) do
                local st = redis.call('HGET', p .. 'task:' .. t, 'status')
                if st ~= 'pending' and st ~= 'running' then redis.call('SREM', ak, t) end
              end
              local n = redis.call('SCARD', ak)
              if quota > 0 and n >= quota then return n end
              return nil
            end
            local function tenant_add(p, tenant, id)
              if tenant == '' then return end
              redis.call('HSET', p .. 'task:' .. id, 'tenant', tenant)
              redis.call('SADD', p .. 'tenant:' .. tenant .. ':active', id)
              redis.call('ZADD', p .. 'tenant:' .. tenant .. ':tasks', redis.call('ZSCORE', p .. 'tasks', id), id)
            end
            """;

    /**
     * ARGV: p, id, dead_ms, room, identity, avatar_id, image_hash, warnings, billing_key_id, expected_epoch,
     * epoch_candidate, launch (the encoded launch record), launch_ttl_ms, and last tenant ('' = none) and the
     * tenant's session quota (0 = none). Returns {'admitted', id, epoch}, {'existing', id},
     * {'not_ready'|'at_capacity'|'quota_exceeded', active, max}, {'epoch', current} (the launch was built for another
     * epoch: build it again) or {'collision'}.
     */
    static final LuaScript ADMIT = new LuaScript(PRELUDE + TENANCY + """
            local p, id, dead = ARGV[1], ARGV[2], tonumber(ARGV[3])
            local room, identity = ARGV[4], ARGV[5]
            -- why: read from the end, so the script's own arguments can grow in front of them
            local tenant, quota = ARGV[#ARGV - 1], tonumber(ARGV[#ARGV]) or 0
            local ms, us = clock()
            local ep = ensure_epoch(p, ARGV[11])
            if ep ~= ARGV[10] then return {'epoch', ep} end
            local dk = dedup_key(p, room, identity, tenant)
            local existing = redis.call('GET', dk)
            if existing then
              local st = redis.call('HGET', p .. 'task:' .. existing, 'status')
              if is_active(st) then return {'existing', existing} end
              redis.call('DEL', dk)
            end
            local tenant_active = tenant_at_quota(p, tenant, quota)
            if tenant_active then return {'quota_exceeded', tostring(tenant_active), tostring(quota)} end
            local ids = redis.call('ZRANGEBYSCORE', p .. 'workers', tonumber(ms) - dead, '+inf')
            local capacity, ready = 0, 0
            for _, wid in ipairs(ids) do
              local w = redis.call('HMGET', p .. 'worker:' .. wid, 'model_ready', 'draining', 'max_sessions',
                'saturated', 'active')
              if w[1] == '1' and w[2] ~= '1' then
                ready = ready + 1
                -- why: a worker whose render loop cannot keep 25 FPS takes no more sessions than it holds
                if w[4] == '1' then
                  capacity = capacity + math.min(tonumber(w[3]) or 0, tonumber(w[5]) or 0)
                else
                  capacity = capacity + (tonumber(w[3]) or 0)
                end
              elseif w[2] == '1' then
                -- why: a draining worker takes nothing new, but its sessions are in the active count until they
                -- end; the slots they hold count with them, or a drain would refuse launches the others can take
                capacity = capacity + redis.call('SCARD', p .. 'worker:' .. wid .. ':tasks')
              end
            end
            local active = redis.call('SCARD', p .. 'active')
            if ready == 0 then return {'not_ready', tostring(active), tostring(capacity)} end
            if active >= capacity then return {'at_capacity', tostring(active), tostring(capacity)} end
            local k = p .. 'task:' .. id
            if redis.call('EXISTS', k) == 1 then return {'collision'} end
            redis.call('HSET', k, 'task_id', id, 'room_name', room, 'status', 'pending', 'created_at', ms,
              'avatar_identity', identity, 'attempts', 0)
            if ARGV[6] ~= '' then redis.call('HSET', k, 'avatar_id', ARGV[6]) end
            if ARGV[7] ~= '' then redis.call('HSET', k, 'image_hash', ARGV[7]) end
            if ARGV[9] ~= '' then redis.call('HSET', k, 'billing_key_id', ARGV[9]) end
            if ARGV[8] ~= '' then redis.call('HSET', k, 'warnings', ARGV[8]) end
            redis.call('ZADD', p .. 'tasks', us, id)
            redis.call('SADD', p .. 'active', id)
            redis.call('SET', dk, id)
            tenant_add(p, tenant, id)
            redis.call('SET', p .. 'launch:' .. id, ARGV[12], 'PX', ARGV[13])
            return {'admitted', id, ep}
            """);

    /**
     * ARGV: p, id, worker_id, attempt, retention_ms, cap, record_epoch ('' = none), epoch_candidate, room,
     * identity, avatar_id, image_hash. Returns claimed, duplicate, cancelled, not_pending or unknown.
     */
    static final LuaScript CLAIM = new LuaScript(PRELUDE + """
            local p, id, wid, attempt = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
            local ms, us = clock()
            local k = p .. 'task:' .. id
            local t = redis.call('HMGET', k, 'status', 'attempts', 'stop_requested_at', 'worker_id')
            if not t[1] then
              -- why: a record of this generation whose task is gone is a duplicate of a task that ended and was
              -- pruned; a record of an earlier generation is a launch a Redis that lost its data forgot: adopt it
              if ARGV[7] == '' or ensure_epoch(p, ARGV[8]) == ARGV[7] then return 'unknown' end
              local room, identity = ARGV[9], ARGV[10]
              local dk = dedup_key(p, room, identity)
              local holder = redis.call('GET', dk)
              if holder and holder ~= id and is_active(redis.call('HGET', p .. 'task:' .. holder, 'status')) then
                return 'unknown'
              end
              redis.call('HSET', k, 'task_id', id, 'room_name', room, 'status', 'pending', 'created_at', ms,
                'avatar_identity', identity, 'attempts', attempt, 'worker_id', wid, 'claimed_at', ms, 'adopted_at', ms)
              if ARGV[11] ~= '' then redis.call('HSET', k, 'avatar_id', ARGV[11]) end
              if ARGV[12] ~= '' then redis.call('HSET', k, 'image_hash', ARGV[12]) end
              redis.call('ZADD', p .. 'tasks', us, id)
              redis.call('SADD', p .. 'active', id)
              redis.call('SET', dk, id)
              redis.call('SADD', p .. 'worker:' .. wid .. ':tasks', id)
              return 'claimed'
            end
            if t[1] ~= 'pending' then return 'not_pending' end
            local attempts = tonumber(t[2]) or 0
            -- why: the same worker asking again for the same attempt lost the reply to its first claim
            if attempts == attempt and t[4] == wid then return 'claimed' end
            if attempts >= attempt then return 'duplicate' end
            if t[3] then
              finish(p, id, 'cancelled', '', 'stopped before start', tonumber(ARGV[5]), tonumber(ARGV[6]))
              return 'cancelled'
            end
            redis.call('HSET', k, 'worker_id', wid, 'attempts', attempt, 'claimed_at', ms)
            redis.call('SADD', p .. 'worker:' .. wid .. ':tasks', id)
            return 'claimed'
            """);

    /** ARGV: p, id, worker_id, attempt. */
    static final LuaScript RUNNING = new LuaScript(PRELUDE + """
            local p, id, wid, attempt = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
            local k = p .. 'task:' .. id
            local t = redis.call('HMGET', k, 'status', 'worker_id', 'attempts', 'stop_requested_at')
            if not t[1] then return 'not_found' end
            if not holds_claim(t[1], t[2], t[3], wid, attempt) then
              if is_active(t[1]) then return 'not_owner' end
              return 'illegal'
            end
            -- why: a task its worker told Redis again after a data loss is running already
            if t[1] == 'pending' then
              local ms = clock()
              redis.call('HSET', k, 'status', 'running', 'running_at', ms)
            end
            if t[4] then return 'done_stop_requested' end
            return 'done'
            """);

    /** ARGV: p, id, status, error, reason, retention_ms, cap, worker_id ('' = any), attempt. */
    static final LuaScript FINISH = new LuaScript(PRELUDE + """
            local p, id, status = ARGV[1], ARGV[2], ARGV[3]
            local k = p .. 'task:' .. id
            local t = redis.call('HMGET', k, 'status', 'worker_id', 'attempts')
            if not t[1] then return 'not_found' end
            if ARGV[8] ~= '' and is_active(t[1]) and not holds_claim(t[1], t[2], t[3], ARGV[8], ARGV[9]) then return 'not_owner' end
            if not (legal[t[1]] and legal[t[1]][status]) then return 'illegal' end
            finish(p, id, status, ARGV[4], ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7]))
            return 'done'
            """);

    /**
     * The API could not enqueue a launch: fail it, but only while it is pending and unclaimed (the record may have
     * been written although the produce timed out, and a worker may run it already). ARGV: p, id, error, reason,
     * retention_ms, cap. Returns failed, claimed or not_found.
     */
    static final LuaScript FAIL_UNENQUEUED = new LuaScript(PRELUDE + """
            local p, id = ARGV[1], ARGV[2]
            local t = redis.call('HMGET', p .. 'task:' .. id, 'status', 'worker_id')
            if not t[1] then return 'not_found' end
            if t[1] ~= 'pending' or t[2] then return 'claimed' end
            finish(p, id, 'failed', ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6]))
            return 'failed'
            """);

    /** ARGV: p, id, reason, retention_ms, cap. Returns {outcome, worker_id}. */
    static final LuaScript STOP = new LuaScript(PRELUDE + """
            local p, id = ARGV[1], ARGV[2]
            local k = p .. 'task:' .. id
            local t = redis.call('HMGET', k, 'status', 'worker_id', 'stop_requested_at')
            if not t[1] then return {'not_found', ''} end
            if not is_active(t[1]) then return {'ended', t[2] or ''} end
            if t[1] == 'pending' and not t[2] then
              finish(p, id, 'cancelled', '', ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]))
              return {'cancelled', ''}
            end
            if not t[3] then
              local ms = clock()
              redis.call('HSET', k, 'stop_requested_at', ms)
            end
            redis.call('PUBLISH', p .. 'stop:' .. t[2], id)
            return {'signalled', t[2]}
            """);

    /**
     * A dead worker's task: back to pending as a new attempt, or failed when the attempts are spent, or cancelled
     * when a stop was asked. Only when the worker's heartbeat is really older than stale_ms on Redis's clock (or it
     * left the registry): a worker that beats again keeps its tasks. ARGV: p, id, dead_worker, stale_ms,
     * max_attempts, retention_ms, cap, error. Returns {outcome, attempts}.
     */
    static final LuaScript ORPHAN = new LuaScript(PRELUDE + """
            local p, id, dead = ARGV[1], ARGV[2], ARGV[3]
            local ms = clock()
            local beat = redis.call('ZSCORE', p .. 'workers', dead)
            if beat and tonumber(beat) > tonumber(ms) - tonumber(ARGV[4]) then return {'alive', '0'} end
            local k = p .. 'task:' .. id
            local t = redis.call('HMGET', k, 'status', 'worker_id', 'attempts', 'stop_requested_at')
            if not t[1] or not is_active(t[1]) or t[2] ~= dead then
              redis.call('SREM', p .. 'worker:' .. dead .. ':tasks', id)
              return {'skip', '0'}
            end
            local attempts = tonumber(t[3]) or 0
            if t[4] then
              finish(p, id, 'cancelled', '', 'stopped; its worker ' .. dead .. ' died', tonumber(ARGV[6]), tonumber(ARGV[7]))
              return {'cancelled', tostring(attempts)}
            end
            if attempts >= tonumber(ARGV[5]) then
              finish(p, id, 'failed', ARGV[8], 'worker_died', tonumber(ARGV[6]), tonumber(ARGV[7]))
              return {'failed', tostring(attempts)}
            end
            redis.call('HSET', k, 'status', 'pending', 'requeued_at', ms)
            redis.call('HDEL', k, 'worker_id', 'claimed_at', 'running_at')
            redis.call('SREM', p .. 'worker:' .. dead .. ':tasks', id)
            return {'requeued', tostring(attempts)}
            """);

    /**
     * A worker gives a task it holds back to the fleet (it drains, it was cut off from Redis, or Redis records a task
     * on it that it does not run): pending again for the next attempt, or cancelled when a stop was asked. Not bound
     * by the attempts: a hand-over is not a failure. ARGV: p, id, worker_id, attempt, retention_ms, cap. Returns
     * {outcome, attempts}.
     */
    static final LuaScript HANDBACK = new LuaScript(PRELUDE + """
            local p, id, wid, attempt = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
            local k = p .. 'task:' .. id
            local t = redis.call('HMGET', k, 'status', 'worker_id', 'attempts', 'stop_requested_at')
            if not t[1] or not holds_claim(t[1], t[2], t[3], wid, attempt) then return {'not_owner', '0'} end
            if t[4] then
              finish(p, id, 'cancelled', '', 'stopped', tonumber(ARGV[5]), tonumber(ARGV[6]))
              return {'cancelled', t[3]}
            end
            local ms = clock()
            redis.call('HSET', k, 'status', 'pending', 'requeued_at', ms)
            redis.call('HDEL', k, 'worker_id', 'claimed_at', 'running_at')
            redis.call('SREM', p .. 'worker:' .. wid .. ':tasks', id)
            return {'requeued', t[3]}
            """);

    /**
     * A worker tells a Redis that lost the task what it runs: the task as running on it, its launch kept again.
     * ARGV: p, id, worker_id, attempt, room, identity, avatar_id, image_hash, launch, launch_ttl_ms. Returns
     * reasserted or exists.
     */
    static final LuaScript REASSERT = new LuaScript(PRELUDE + """
            local p, id, wid = ARGV[1], ARGV[2], ARGV[3]
            local k = p .. 'task:' .. id
            if redis.call('EXISTS', k) == 1 then return 'exists' end
            local ms, us = clock()
            redis.call('HSET', k, 'task_id', id, 'room_name', ARGV[5], 'status', 'running', 'created_at', ms,
              'avatar_identity', ARGV[6], 'attempts', ARGV[4], 'worker_id', wid, 'claimed_at', ms, 'running_at', ms,
              'reasserted_at', ms)
            if ARGV[7] ~= '' then redis.call('HSET', k, 'avatar_id', ARGV[7]) end
            if ARGV[8] ~= '' then redis.call('HSET', k, 'image_hash', ARGV[8]) end
            redis.call('ZADD', p .. 'tasks', us, id)
            redis.call('SADD', p .. 'active', id)
            redis.call('SADD', p .. 'worker:' .. wid .. ':tasks', id)
            local dk = dedup_key(p, ARGV[5], ARGV[6])
            local holder = redis.call('GET', dk)
            if not holder or not is_active(redis.call('HGET', p .. 'task:' .. holder, 'status')) then
              redis.call('SET', dk, id)
            end
            if ARGV[9] ~= '' then redis.call('SET', p .. 'launch:' .. id, ARGV[9], 'PX', ARGV[10]) end
            return 'reasserted'
            """);

    /**
     * A worker's heartbeat and its look at what Redis says about the tasks it holds. ARGV: p, worker_id,
     * registry_ttl_ms, epoch_candidate, image_ttl_s, n (field count), n field/value pairs, then one
     * id/attempt/image_hash triple per claim the worker holds. Returns {epoch, {id, verdict, ...}, {id, attempts, ...}}:
     * a verdict per held claim (ok, stop: a stop was asked, lost: the task is no longer this claim's, missing: Redis
     * has no such task), and the active tasks Redis records on this worker that it did not name.
     */
    static final LuaScript BEAT = new LuaScript(PRELUDE + """
            local p, wid = ARGV[1], ARGV[2]
            local ms = clock()
            local wk = p .. 'worker:' .. wid
            local n = tonumber(ARGV[6])
            local i = 7
            for _ = 1, n do
              redis.call('HSET', wk, ARGV[i], ARGV[i + 1])
              i = i + 2
            end
            redis.call('HSET', wk, 'heartbeat_at', ms)
            -- why: a worker that vanished leaves no hash behind for long
            redis.call('PEXPIRE', wk, ARGV[3])
            redis.call('ZADD', p .. 'workers', ms, wid)
            local ep = ensure_epoch(p, ARGV[4])
            local verdicts, held = {}, {}
            while i + 2 <= #ARGV do
              local id, attempt, img = ARGV[i], ARGV[i + 1], ARGV[i + 2]
              held[id] = true
              local t = redis.call('HMGET', p .. 'task:' .. id, 'status', 'worker_id', 'attempts', 'stop_requested_at')
              local v
              if not t[1] then v = 'missing'
              elseif holds_claim(t[1], t[2], t[3], wid, attempt) then
                if t[4] then v = 'stop' else v = 'ok' end
              else v = 'lost' end
              if img ~= '' then redis.call('EXPIRE', p .. 'image:' .. img, ARGV[5]) end
              verdicts[#verdicts + 1] = id
              verdicts[#verdicts + 1] = v
              i = i + 3
            end
            local unheld = {}
            for _, id in ipairs(redis.call('SMEMBERS', wk .. ':tasks')) do
              if not held[id] then
                local t = redis.call('HMGET', p .. 'task:' .. id, 'status', 'worker_id', 'attempts')
                if t[1] and is_active(t[1]) and t[2] == wid then
                  unheld[#unheld + 1] = id
                  unheld[#unheld + 1] = t[3] or '0'
                else
                  redis.call('SREM', wk .. ':tasks', id)
                end
              end
            end
            return {ep, verdicts, unheld}
            """);

    /** ARGV: p, dead_ms. Live workers' hashes as flat field/value arrays. */
    static final LuaScript LIVE_WORKERS = new LuaScript(PRELUDE + """
            local p = ARGV[1]
            local ms = clock()
            local out = {}
            for _, id in ipairs(redis.call('ZRANGEBYSCORE', p .. 'workers', tonumber(ms) - tonumber(ARGV[2]), '+inf')) do
              local h = redis.call('HGETALL', p .. 'worker:' .. id)
              if #h > 0 then out[#out + 1] = h end
            end
            return out
            """);

    /** ARGV: p, late_ms. Workers whose heartbeat is older than late_ms: {id, url, age_ms, ...}. */
    static final LuaScript LATE_WORKERS = new LuaScript(PRELUDE + """
            local p = ARGV[1]
            local now = tonumber((clock()))
            local out = {}
            local rows = redis.call('ZRANGEBYSCORE', p .. 'workers', '-inf', '(' .. (now - tonumber(ARGV[2])), 'WITHSCORES')
            for j = 1, #rows, 2 do
              out[#out + 1] = rows[j]
              out[#out + 1] = redis.call('HGET', p .. 'worker:' .. rows[j], 'url') or ''
              out[#out + 1] = tostring(now - tonumber(rows[j + 1]))
            end
            return out
            """);

    /** ARGV: p, worker_id. Forgets a worker that has no task left. */
    static final LuaScript FORGET_WORKER = new LuaScript("""
            local p, wid = ARGV[1], ARGV[2]
            if redis.call('SCARD', p .. 'worker:' .. wid .. ':tasks') > 0 then return 0 end
            redis.call('ZREM', p .. 'workers', wid)
            redis.call('DEL', p .. 'worker:' .. wid)
            return 1
            """);

    /** ARGV: p, id, warnings (newline separated), worker_id ('' = any), attempt. */
    static final LuaScript WARN = new LuaScript(PRELUDE + """
            local k = ARGV[1] .. 'task:' .. ARGV[2]
            local t = redis.call('HMGET', k, 'status', 'worker_id', 'attempts')
            if not t[1] then return 0 end
            if ARGV[4] ~= '' and not holds_claim(t[1], t[2], t[3], ARGV[4], ARGV[5]) then return 0 end
            local w = redis.call('HGET', k, 'warnings')
            if w and w ~= '' then w = w .. '\\n' .. ARGV[3] else w = ARGV[3] end
            redis.call('HSET', k, 'warnings', w)
            return 1
            """);

    /** ARGV: p, id, partition, offset. Where the task's latest launch record went, and when. */
    static final LuaScript POSITION = new LuaScript(PRELUDE + """
            local k = ARGV[1] .. 'task:' .. ARGV[2]
            if redis.call('EXISTS', k) == 0 then return 0 end
            local ms = clock()
            redis.call('HSET', k, 'kafka_partition', ARGV[3], 'kafka_offset', ARGV[4], 'enqueued_at', ms)
            return 1
            """);

    /**
     * Pending tasks no worker holds whose launch was last (re)enqueued longer than after_ms ago (on Redis's clock).
     * ARGV: p, after_ms. Returns their ids.
     */
    static final LuaScript STALE_PENDING = new LuaScript(PRELUDE + """
            local p = ARGV[1]
            local cutoff = tonumber((clock())) - tonumber(ARGV[2])
            local out = {}
            for _, id in ipairs(redis.call('SMEMBERS', p .. 'active')) do
              local t = redis.call('HMGET', p .. 'task:' .. id, 'status', 'worker_id', 'created_at', 'requeued_at', 'enqueued_at')
              if t[1] == 'pending' and not t[2] then
                local last = math.max(tonumber(t[3]) or 0, tonumber(t[4]) or 0, tonumber(t[5]) or 0)
                if last < cutoff then out[#out + 1] = id end
              end
            end
            return out
            """);

    /**
     * The sweeper takes one stale pending task to enqueue it again: counts the re-enqueue and marks it enqueued now,
     * or fails it when it was re-enqueued max times already. ARGV: p, id, after_ms, max, error, retention_ms, cap.
     * Returns {'reenqueue', attempts, count}, {'failed', attempts, count} or {'skip', '0', '0'}.
     */
    static final LuaScript TAKE_STALE = new LuaScript(PRELUDE + """
            local p, id = ARGV[1], ARGV[2]
            local k = p .. 'task:' .. id
            local ms = clock()
            local t = redis.call('HMGET', k, 'status', 'worker_id', 'created_at', 'requeued_at', 'enqueued_at', 'attempts', 'reenqueues')
            if t[1] ~= 'pending' or t[2] then return {'skip', '0', '0'} end
            local last = math.max(tonumber(t[3]) or 0, tonumber(t[4]) or 0, tonumber(t[5]) or 0)
            if last >= tonumber(ms) - tonumber(ARGV[3]) then return {'skip', '0', '0'} end
            local count = tonumber(t[7]) or 0
            if count >= tonumber(ARGV[4]) then
              finish(p, id, 'failed', ARGV[5], 'undeliverable', tonumber(ARGV[6]), tonumber(ARGV[7]))
              return {'failed', t[6] or '0', tostring(count)}
            end
            redis.call('HSET', k, 'reenqueues', count + 1, 'enqueued_at', ms)
            return {'reenqueue', t[6] or '0', tostring(count + 1)}
            """);

    /**
     * A caller replays an ended task: pending again for the next attempt, keeping its id, creation, attempts and tenant.
     * ARGV: p, id. Returns {'replayed', attempts}, {'active', status}, {'room_busy', other_id} or {'not_found', ''}.
     */
    static final LuaScript REPLAY = new LuaScript(PRELUDE + """
            local p, id = ARGV[1], ARGV[2]
            local k = p .. 'task:' .. id
            local t = redis.call('HMGET', k, 'status', 'room_name', 'avatar_identity', 'attempts', 'tenant')
            if not t[1] then return {'not_found', ''} end
            if is_active(t[1]) then return {'active', t[1]} end
            local dk = dedup_key(p, t[2], t[3], t[5])
            local holder = redis.call('GET', dk)
            if holder and holder ~= id and is_active(redis.call('HGET', p .. 'task:' .. holder, 'status')) then
              return {'room_busy', holder}
            end
            local ms = clock()
            redis.call('HSET', k, 'status', 'pending', 'replayed_at', ms, 'requeued_at', ms, 'reenqueues', 0)
            redis.call('HDEL', k, 'completed_at', 'error', 'end_reason', 'worker_id', 'claimed_at', 'running_at', 'stop_requested_at')
            redis.call('PERSIST', k)
            redis.call('ZREM', p .. 'terminal', id)
            redis.call('SADD', p .. 'active', id)
            -- why: the new attempt stays the tenant's: its tenant field and index entry are kept, its active count takes it again
            if t[5] then redis.call('SADD', p .. 'tenant:' .. t[5] .. ':active', id) end
            redis.call('SET', dk, id)
            return {'replayed', t[4] or '0'}
            """);

    /** ARGV: p, epoch_candidate. The current epoch (set to the candidate when Redis has none). */
    static final LuaScript EPOCH = new LuaScript(PRELUDE + """
            return ensure_epoch(ARGV[1], ARGV[2])
            """);

    /** ARGV: p, name, holder, ttl_ms. 1 when holder has the lease now (taken or renewed), else 0. */
    static final LuaScript LEASE = new LuaScript("""
            local k = ARGV[1] .. 'lease:' .. ARGV[2]
            local h = redis.call('GET', k)
            if not h then
              redis.call('SET', k, ARGV[3], 'PX', ARGV[4])
              return 1
            end
            if h == ARGV[3] then
              redis.call('PEXPIRE', k, ARGV[4])
              return 1
            end
            return 0
            """);

    /** ARGV: p, retention_ms, cap. Drops terminal records ended before now - retention; returns how many were dropped. */
    static final LuaScript PRUNE = new LuaScript(PRELUDE + """
            local p = ARGV[1]
            local ms = clock()
            local cutoff_us = (tonumber(ms) - tonumber(ARGV[2])) * 1000
            local old = redis.call('ZRANGEBYSCORE', p .. 'terminal', '-inf', string.format('%d', cutoff_us))
            for _, o in ipairs(old) do drop(p, o) end
            return #old + enforce_cap(p, tonumber(ARGV[3]))
            """);

    /**
     * Lua: rows(p, index, ids) -> the task hashes of ids, in order, as flat field/value arrays, and how many of ids had
     * no record. why: a record expired on its own (PEXPIRE backstop) has its index entries forgotten here.
     */
    private static final String ROWS = """
            local function rows(p, index, ids)
              local out = {}
              local gone = 0
              for _, id in ipairs(ids) do
                local h = redis.call('HGETALL', p .. 'task:' .. id)
                if #h > 0 then
                  out[#out + 1] = h
                else
                  redis.call('ZREM', p .. 'tasks', id)
                  redis.call('ZREM', p .. 'terminal', id)
                  redis.call('ZREM', index, id)
                  gone = gone + 1
                end
              end
              return out, gone
            end
            """;

    /**
     * ARGV: p, index ('tasks', or a tenant's 'tenant:<t>:tasks'). Every task hash of the index, newest first, as
     * flat field/value arrays (one atomic snapshot).
     */
    static final LuaScript LIST = new LuaScript(ROWS + """
            local p = ARGV[1]
            local index = p .. (ARGV[2] or 'tasks')
            local out = rows(p, index, redis.call('ZREVRANGE', index, 0, -1))
            return out
            """);

    /**
     * ARGV: p, index, offset, limit. One page of the index, newest first: {total, rows} where rows are the task
     * hashes as flat field/value arrays (one atomic snapshot). why: an unfiltered page must not read every record of
     * the index (100,000 kept tasks made each /tasks call read them all); a record expired on its own leaves the page.
     */
    static final LuaScript LIST_PAGE = new LuaScript(ROWS + """
            local p = ARGV[1]
            local index = p .. ARGV[2]
            local from = tonumber(ARGV[3])
            local total = redis.call('ZCARD', index)
            local out, gone = rows(p, index, redis.call('ZREVRANGE', index, from, from + tonumber(ARGV[4]) - 1))
            return {total - gone, out}
            """);

    /** Every script above, for loading them all at start. */
    static java.util.List<LuaScript> all() {
        return java.util.List.of(ADMIT, CLAIM, RUNNING, FINISH, FAIL_UNENQUEUED, STOP, ORPHAN, HANDBACK, REASSERT, BEAT,
                LIVE_WORKERS, LATE_WORKERS, FORGET_WORKER, WARN, POSITION, STALE_PENDING, TAKE_STALE, REPLAY, EPOCH, LEASE,
                PRUNE, LIST, LIST_PAGE);
    }
}
