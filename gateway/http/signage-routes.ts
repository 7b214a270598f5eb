import { Router, type Request, type Response } from 'express';
import type { Role } from '../../core/auth/index.js';
import { UrbanflowError } from '../../core/errors/index.js';
import { approveSchema, auditQuerySchema, previewQuerySchema, signListQuerySchema } from '../../core/contracts/signage.js';
import type { Actor, SignageService } from '../../services/signage/index.js';
import { claimsOf, type HttpAuth } from './auth.js';
import { parseBody, parseQuery } from './validate.js';

/** Who may call what (docs/signage.md). A sign device reads only itself; it never writes. */
export const SIGNAGE_ROLES = {
  read: ['viewer', 'operator', 'admin', 'sign'],
  list: ['viewer', 'operator', 'admin'],
  write: ['operator', 'admin'],
  admin: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

function actorOf(req: Request, res: Response): Actor {
  const c = claimsOf(res);
  return { role: c.role, sub: c.sub, ip: req.ip };
}

/** A sign token may look at its own sign only. */
function checkSelf(res: Response, signId: string): void {
  const c = claimsOf(res);
  if (c.role === 'sign' && c.sub !== signId) throw new UrbanflowError('FORBIDDEN', 'a sign may read only its own state', { field: 'id' });
}

const idParam = (req: Request) => String(req.params.id);

/** /api/signs, /api/library and /api/audit of the signage service. */
export function createSignageRouter(service: SignageService, auth: HttpAuth): Router {
  const router = Router();
  router.post('/signs', auth.require(...SIGNAGE_ROLES.admin), async (req, res) => {
    res.status(201).json(await service.createSign(req.body ?? {}, actorOf(req, res)));
  });
  router.get('/signs', auth.require(...SIGNAGE_ROLES.list), async (req, res) => {
    await service.syncRegistry();
    res.json({ signs: service.listSigns(parseQuery(signListQuerySchema, req.query)) });
  });
  router.get('/signs/:id', auth.require(...SIGNAGE_ROLES.read), async (req, res) => {
    checkSelf(res, idParam(req));
    await service.hasSign(idParam(req));
    res.json(service.getSign(idParam(req)));
  });
  router.put('/signs/:id/message', auth.require(...SIGNAGE_ROLES.write), async (req, res) => {
    const r = await service.setMessage(idParam(req), req.body ?? {}, actorOf(req, res));
    res.status(r.status === 'pending' ? 202 : 200).json(r);
  });
  router.post('/signs/:id/message/approve', auth.require(...SIGNAGE_ROLES.write), async (req, res) => {
    const body = parseBody(approveSchema, req.body);
    res.json(await service.approveMessage(idParam(req), body.approvalId, actorOf(req, res)));
  });
  router.delete('/signs/:id/message', auth.require(...SIGNAGE_ROLES.write), async (req, res) => {
    res.json({ state: await service.clearMessage(idParam(req), actorOf(req, res)) });
  });
  router.get('/signs/:id/preview.png', auth.require(...SIGNAGE_ROLES.read), async (req, res) => {
    checkSelf(res, idParam(req));
    await service.hasSign(idParam(req));
    const q = parseQuery(previewQuerySchema, req.query);
    if (q.multi !== undefined && claimsOf(res).role === 'sign') throw new UrbanflowError('FORBIDDEN', 'a sign may not preview other messages', { field: 'multi' });
    const png = service.previewPng(idParam(req), { multi: q.multi, page: q.page, scale: q.scale });
    res.type('image/png').set('cache-control', 'no-store').send(png);
  });
  router.put('/groups/:group/message', auth.require(...SIGNAGE_ROLES.write), async (req, res) => {
    res.json(await service.setGroupMessage(String(req.params.group), req.body ?? {}, actorOf(req, res)));
  });
  router.get('/library', auth.require(...SIGNAGE_ROLES.write), (_req, res) => {
    res.json({ messages: service.listLibrary() });
  });
  router.post('/library', auth.require(...SIGNAGE_ROLES.admin), async (req, res) => {
    res.status(201).json(await service.addLibraryEntry(req.body ?? {}, actorOf(req, res)));
  });
  router.get('/audit', auth.require(...SIGNAGE_ROLES.admin), async (req, res) => {
    const q = parseQuery(auditQuerySchema, req.query);
    res.json({ entries: await service.audit(q.from, q.limit) });
  });
  return router;
}
