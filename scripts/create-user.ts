/**
 * Creates (or resets) a user from the command line, for the first admin of a production install:
 *   GUANJIA_PASSWORD=… npm run create-user -- admin "管理员" admin
 */
import { hashPassword } from '../api/auth/passwords';
import { User } from '../db/entities';
import { initORM } from '../db/orm';
import { isRole, type Role } from '../domain/roles';

async function main(): Promise<void> {
  const [username, displayName, roleList] = process.argv.slice(2);
  const password = process.env.GUANJIA_PASSWORD ?? '';
  if (!username || !displayName || !roleList) throw new Error('usage: GUANJIA_PASSWORD=… npm run create-user -- <username> <display name> <role,role>');
  const roles = roleList.split(',').map((r) => r.trim());
  const bad = roles.filter((r) => !isRole(r));
  if (bad.length) throw new Error(`unknown role(s): ${bad.join(', ')}; roles are customer_service, reviewer, warehouse, after_sales, finance, admin`);
  if (password.length < 8) throw new Error('set GUANJIA_PASSWORD to a password of at least 8 characters');
  const db = await initORM();
  try {
    const em = db.em();
    const existing = await em.findOne(User, { username });
    const passwordHash = await hashPassword(password);
    if (existing) {
      em.assign(existing, { displayName, roles: roles as Role[], passwordHash, active: true });
    } else {
      em.create(User, { username, displayName, roles: roles as Role[], passwordHash, createdAt: new Date() });
    }
    await em.flush();
    console.log(`${existing ? 'updated' : 'created'} user ${username} (${roles.join(', ')})`);
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
