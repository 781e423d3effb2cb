import type { Keys } from './keys.js'
import type { RedisClient } from './redis.js'
import type { RoleStore } from './role-store.js'

/** Who the audit log names for the grant: the bot itself, not the user who wrote first. */
export const FIRST_ADMIN_ACTOR = 'system:first-user'

const PENDING = 'pending:'
const DONE = 'done:'

/**
 * The one sandbox user made administrator because nothing is configured (contract, SANDBOX):
 * a new install can be tried at once, and only the first writer gets the role, however many
 * write at the same moment. The claim is a SET NX on `keys.firstAdmin()`; the role itself is
 * an ordinary audited binding (RoleStore.set), so 设置角色 can take it away later.
 */
export class FirstAdmin {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly roles: RoleStore,
  ) {}

  /**
   * Makes `userKey` the administrator when nobody has been yet and they have no role. True
   * only for the message that won the claim, so the user is told once. Costs one GET once an
   * administrator has been made. Throws StoreUnavailableError like any store read.
   */
  async claim(userKey: string, at: Date): Promise<boolean> {
    const key = this.keys.firstAdmin()
    const held = await this.redis.get(key)
    if (held !== null && held !== PENDING + userKey) return false
    if (held === null) {
      // Someone given a role already (by the demo loader, or an admin set up otherwise) is
      // not promoted, and once any admin exists nobody is.
      const bindings = await this.roles.all()
      if (bindings.has(userKey) || [...bindings.values()].some((b) => b.role === 'admin')) {
        return false
      }
    }
    // GET answers the holder: null means this attempt won; our own pending claim means an
    // earlier attempt of this user stopped before the grant, which is finished quietly now.
    const before = await this.redis.set(key, PENDING + userKey, 'NX', 'GET')
    if (before !== null && before !== PENDING + userKey) return false
    await this.roles.set(
      userKey,
      { role: 'admin', villages: [], setBy: FIRST_ADMIN_ACTOR, setAt: at.toISOString() },
      { actor: FIRST_ADMIN_ACTOR, at, idempotencyKey: `first-admin|${userKey}` },
    )
    await this.redis.set(key, DONE + userKey)
    return before === null
  }
}
