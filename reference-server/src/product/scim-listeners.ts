import type { FastifyBaseLogger } from 'fastify';
import type { ScimEvent, ScimEvents } from '../scim/events.ts';
import type { Actor } from './audit.ts';
import { personName, preferredEmail } from './directory.ts';
import type { EndUserSessions } from './end-users.ts';
import { newSsoAccountMail } from './mail/messages.ts';
import type { ProductService } from './service.ts';

const SCIM_ACTOR: Actor = { kind: 'scim', label: 'SCIM client' };

/**
 * What the app does when the IdP changes people through SCIM: welcome email on create, sessions ended on
 * deactivation and deletion, an audit entry for each change. Runs after SCIM has answered (events are published
 * after the commit), so nothing here can slow down or fail a SCIM request.
 */
export function listenToScim(events: ScimEvents, service: ProductService, sessions: EndUserSessions, log: FastifyBaseLogger): void {
  const userName = (e: ScimEvent) => e.userName ?? (typeof e.resource.userName === 'string' ? e.resource.userName : e.id);

  events.on('user.created', (e: ScimEvent) => {
    service.audit.record(e.accountId, SCIM_ACTOR, 'scim.user.created', userName(e));
    if (!service.sendsMail('user.welcome')) return;
    const to = preferredEmail(e.resource);
    if (!to) {
      log.info({ accountId: e.accountId, userId: e.id }, 'user created through SCIM has no email address: no welcome email');
      return;
    }
    service.outbox.enqueue(service.composeMail(newSsoAccountMail(service.mailContext(e.accountId), to, personName(e.resource, userName(e)))));
    service.onMailQueued();
  });

  events.on('user.updated', (e: ScimEvent) => service.audit.record(e.accountId, SCIM_ACTOR, 'scim.user.updated', userName(e)));
  events.on('user.reactivated', (e: ScimEvent) => service.audit.record(e.accountId, SCIM_ACTOR, 'scim.user.reactivated', userName(e)));

  events.on('user.deactivated', (e: ScimEvent) => {
    const ended = sessions.endAllFor(e.accountId, e.id);
    service.audit.record(e.accountId, SCIM_ACTOR, 'scim.user.deactivated', userName(e), `status Disabled; ${ended} session(s) ended`);
  });

  events.on('user.deleted', (e: ScimEvent) => {
    const ended = sessions.endAllFor(e.accountId, e.id);
    service.store.db.prepare('DELETE FROM manual_users WHERE account_id = ? AND user_id = ?').run(e.accountId, e.id);
    service.audit.record(e.accountId, SCIM_ACTOR, 'scim.user.deleted', userName(e), `removed from users and regions; ${ended} session(s) ended`);
  });

  const groupName = (e: ScimEvent) => e.displayName ?? (typeof e.resource.displayName === 'string' ? e.resource.displayName : e.id);
  events.on('group.created', (e: ScimEvent) => service.audit.record(e.accountId, SCIM_ACTOR, 'scim.region.created', groupName(e)));
  events.on('group.updated', (e: ScimEvent) => {
    const detail = [
      e.addedMembers?.length ? `${e.addedMembers.length} member(s) added` : '',
      e.removedMembers?.length ? `${e.removedMembers.length} member(s) removed` : '',
    ]
      .filter(Boolean)
      .join('; ');
    service.audit.record(e.accountId, SCIM_ACTOR, 'scim.region.updated', groupName(e), detail || undefined);
  });
  events.on('group.deleted', (e: ScimEvent) => service.audit.record(e.accountId, SCIM_ACTOR, 'scim.region.deleted', groupName(e)));
}
