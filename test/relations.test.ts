import { describe, expect, it } from 'vitest';
import { EXAMPLE_IDS } from '../src/seed/ids.js';
import { useApp } from './helpers/app.js';
import { UNKNOWN_UUID, fieldsOf } from './helpers/problems.js';
import { DIAZ, MOH, RAISI, TEHRAN, fid, sid } from './helpers/seed.js';

const ctx = useApp({ seed: true });

const cite = { sourceId: TEHRAN, excerpt: 'test excerpt', role: 'secondary' };

async function statement(body: Record<string, unknown>) {
  const res = await ctx.api
    .post('/statements')
    .send({ language: 'en', kind: 'paraphrase', saidOn: '2024-04-01', citations: [cite], ...body })
    .expect(201);
  return res.body as { id: string; speaker: { slug: string } | null; attribution: string; attributedTo: string | null };
}

function relation(body: Record<string, unknown>) {
  return ctx.api.post('/relations').send(body);
}

describe('statements attributed to no named person', () => {
  it('records the seed’s "Israeli media published reports…" without inventing a speaker', async () => {
    const res = await ctx.api.get(`/statements/${sid('israeli-media-friendly-fire')}`).expect(200);
    expect(res.body).toMatchObject({ speaker: null, attribution: 'unnamed_group', attributedTo: 'Israeli media' });
    const orgs = await ctx.api.get(`/statements/${sid('organizations-women-children-majority')}`).expect(200);
    expect(orgs.body).toMatchObject({ speaker: null, attributedTo: 'Palestinian and international organizations' });
    // The share of women and children is quoted in that statement, so it is attributed too.
    const share = await ctx.api.get(`/figures/${fid('women-children-share-killed-2024-03')}`).expect(200);
    expect(share.body.statementId).toBe(sid('organizations-women-children-majority'));
  });

  it('takes an anonymous source with the organisation it belongs to, and lists it with everyone’s statements', async () => {
    const s = await statement({
      speaker: RAISI,
      attribution: 'anonymous',
      attributedTo: 'a senior aide who asked not to be named',
      text: 'An anonymous aide’s words, for the test.',
    });
    expect(s).toMatchObject({ speaker: { slug: RAISI }, attribution: 'anonymous' });
    const unnamed = await statement({ attribution: 'unnamed_group', attributedTo: 'Test observers', text: 'Unnamed group words.' });
    const list = await ctx.api.get('/statements?from=2024-04-01&to=2024-04-01&limit=100').expect(200);
    const ids = list.body.data.map((x: { id: string }) => x.id);
    expect(ids).toEqual(expect.arrayContaining([s.id, unnamed.id]));
    // A filter on the speaker's kind or country cannot match a statement with no speaker.
    const persons = await ctx.api.get('/statements?from=2024-04-01&to=2024-04-01&actorKind=person&limit=100').expect(200);
    expect(persons.body.data.map((x: { id: string }) => x.id)).not.toContain(unnamed.id);
    const csv = await ctx.api.get(`/statements?from=2024-04-01&to=2024-04-01&format=csv`).expect(200);
    expect(csv.text.split('\n')[0]).toContain('attributedTo');
    expect(csv.text).toContain('Test observers');
  });

  it('refuses a statement attributed to no one, or named and described at once, naming the field', async () => {
    const base = { language: 'en', kind: 'paraphrase', saidOn: '2024-04-02', citations: [cite] };
    const noOne = await ctx.api.post('/statements').send({ ...base, text: 'no one' }).expect(400);
    expect(fieldsOf(noOne.body)).toEqual(['speaker']);
    const noWords = await ctx.api.post('/statements').send({ ...base, text: 'x', attribution: 'unnamed_group' }).expect(400);
    expect(fieldsOf(noWords.body)).toEqual(['attributedTo']);
    const both = await ctx.api
      .post('/statements')
      .send({ ...base, text: 'x', speaker: DIAZ, attributedTo: 'someone else' })
      .expect(400);
    expect(fieldsOf(both.body)).toEqual(['attributedTo']);
    // PATCH is checked against the record as it will be: clearing the speaker of a named statement is refused.
    const named = await statement({ speaker: DIAZ, text: 'Named words to un-name.' });
    const cleared = await ctx.api.patch(`/statements/${named.id}`).send({ speaker: null }).expect(400);
    expect(fieldsOf(cleared.body)).toEqual(['speaker']);
    const renamed = await ctx.api
      .patch(`/statements/${named.id}`)
      .send({ speaker: null, attribution: 'unnamed_group', attributedTo: 'Cuban officials' })
      .expect(200);
    expect(renamed.body).toMatchObject({ speaker: null, attributedTo: 'Cuban officials' });
  });

  it('treats the same words from the same unnamed group on the same day as one statement', async () => {
    const body = { attribution: 'unnamed_group', attributedTo: 'Test Group', text: 'Said once.' };
    const first = await statement(body);
    const again = await ctx.api
      .post('/statements')
      .send({ language: 'en', kind: 'paraphrase', saidOn: '2024-04-01', citations: [cite], ...body, attributedTo: 'test group' })
      .expect(409);
    expect(again.body.detail).toContain(first.id);
    // Another group saying the same words is another statement.
    await statement({ ...body, attributedTo: 'Another group' });
  });
});

describe('relations between statements and figures', () => {
  it('answers who disputed Israel’s account of October 7 in the seed, from both ends', async () => {
    const about = await ctx.api.get(`/relations?target=${sid('israel-1200-killed')}`).expect(200);
    expect(about.body.data).toHaveLength(1);
    const [r] = about.body.data;
    expect(r).toMatchObject({
      id: EXAMPLE_IDS.relation,
      kind: 'disputes',
      statement: { id: sid('israeli-media-friendly-fire'), speaker: null, attributedTo: 'Israeli media', saidOn: '2024-03' },
      targetStatement: { id: sid('israel-1200-killed'), speaker: { slug: 'israel' } },
      targetFigure: null,
    });
    const made = await ctx.api.get(`/relations?statement=${sid('israeli-media-friendly-fire')}`).expect(200);
    expect(made.body.data.map((x: { id: string }) => x.id)).toEqual([EXAMPLE_IDS.relation]);
    const either = await ctx.api.get(`/relations?involving=${sid('israel-1200-killed')}`).expect(200);
    expect(either.body.data.map((x: { id: string }) => x.id)).toEqual([EXAMPLE_IDS.relation]);
    // Nobody in the seed disputes the Ministry of Health's count.
    const moh = await ctx.api.get(`/relations?target=${fid('moh-killed-2024-03')}&kind=disputes,denies`).expect(200);
    expect(moh.body.data).toEqual([]);
  });

  it('lists everything that disputes a figure, in the order it was said, with who said it', async () => {
    const figure = fid('moh-injured-2024-03');
    const later = await statement({ speaker: 'israel', text: 'The injured count is inflated.', saidOn: '2024-04-05' });
    const earlier = await statement({ speaker: 'israel', text: 'The count cannot be verified.', saidOn: '2024-04-03' });
    const backing = await statement({ speaker: MOH, text: 'Our count stands.', saidOn: '2024-04-06' });
    for (const [s, kind] of [
      [later, 'denies'],
      [earlier, 'disputes'],
      [backing, 'confirms'],
    ] as const)
      await relation({ statement: s.id, kind, targetFigure: figure }).expect(201);
    await relation({ statement: backing.id, kind: 'responds_to', targetStatement: later.id }).expect(201);

    const against = await ctx.api.get(`/relations?target=${figure}&kind=disputes,denies`).expect(200);
    expect(against.body.data.map((r: { statement: { id: string } }) => r.statement.id)).toEqual([earlier.id, later.id]);
    expect(against.body.data[0].targetFigure).toMatchObject({ id: figure, metric: 'injured', value: 75190, reporter: { slug: MOH } });
    const byIsrael = await ctx.api.get(`/relations?target=${figure}&actor=israel&sort=-saidOn`).expect(200);
    expect(byIsrael.body.data.map((r: { statement: { id: string } }) => r.statement.id)).toEqual([later.id, earlier.id]);
    // The reply to a denial is found from the denial's end.
    const replies = await ctx.api.get(`/relations?involving=${later.id}`).expect(200);
    expect(replies.body.data.map((r: { kind: string }) => r.kind).sort()).toEqual(['denies', 'responds_to']);
    const page = await ctx.api.get(`/relations?target=${figure}&limit=2&total=true`).expect(200);
    expect(page.body).toMatchObject({ total: 3 });
    const next = await ctx.api.get(`/relations?target=${figure}&limit=2&cursor=${encodeURIComponent(page.body.nextCursor)}`);
    expect(next.body.data).toHaveLength(1);
    const ndjson = await ctx.api.get(`/relations?target=${figure}&format=ndjson`).expect(200);
    expect(ndjson.text.trim().split('\n')).toHaveLength(3);
  });

  it('refuses a relation without one target, to itself, to nothing, or recorded twice, naming the field', async () => {
    const s = await statement({ speaker: DIAZ, text: 'A reaction for the refusals.' });
    const noTarget = await relation({ statement: s.id, kind: 'disputes' }).expect(400);
    expect(fieldsOf(noTarget.body)).toEqual(['targetStatement']);
    const both = await relation({ statement: s.id, kind: 'disputes', targetStatement: sid('raisi-silence'), targetFigure: fid('moh-killed-2024-03') }).expect(400);
    expect(fieldsOf(both.body)).toEqual(['targetStatement']);
    const itself = await relation({ statement: s.id, kind: 'confirms', targetStatement: s.id }).expect(400);
    expect(fieldsOf(itself.body)).toEqual(['targetStatement']);
    const noFigure = await relation({ statement: s.id, kind: 'disputes', targetFigure: UNKNOWN_UUID }).expect(400);
    expect(fieldsOf(noFigure.body)).toEqual(['targetFigure']);
    const noStatement = await relation({ statement: UNKNOWN_UUID, kind: 'disputes', targetFigure: fid('moh-killed-2024-03') }).expect(400);
    expect(fieldsOf(noStatement.body)).toEqual(['statement']);
    const badType = await relation({ statement: s.id, kind: 'likes', targetFigure: fid('moh-killed-2024-03') }).expect(400);
    expect(fieldsOf(badType.body)).toEqual(['kind']);
    const first = await relation({ statement: s.id, kind: 'disputes', targetFigure: fid('moh-killed-2024-03') }).expect(201);
    const twice = await relation({ statement: s.id, kind: 'disputes', targetFigure: fid('moh-killed-2024-03') }).expect(409);
    expect(twice.body.detail).toContain(first.body.id);
    expect(fieldsOf(twice.body)).toEqual(['kind']);
    // Writing needs a key.
    await ctx.anon.post('/relations').send({ statement: s.id, kind: 'confirms', targetFigure: fid('moh-killed-2024-03') }).expect(401);
  });

  it('keeps its own history, and keeps what it points at from being deleted under it', async () => {
    const target = await statement({ speaker: RAISI, text: 'A claim to be corrected.' });
    const fix = await statement({ speaker: DIAZ, text: 'The correction.' });
    const created = await relation({ statement: fix.id, kind: 'disputes', targetStatement: target.id }).expect(201);
    expect(created.headers.location).toBe(`/relations/${created.body.id}`);
    const before = await ctx.api.get(`/statements/${target.id}/history`).expect(200);
    await ctx.api
      .patch(`/relations/${created.body.id}`)
      .set('change-reason', 'it corrects the figure')
      .send({ kind: 'corrects', notes: 'Gives the right date.' })
      .expect(200);
    const history = await ctx.api.get(`/relations/${created.body.id}/history`).expect(200);
    expect(history.body.data.map((h: { revision: number; action: string }) => [h.revision, h.action])).toEqual([
      [2, 'update'],
      [1, 'create'],
    ]);
    expect(history.body.data[0].changes).toEqual(
      expect.arrayContaining([{ field: 'kind', before: 'disputes', after: 'corrects' }]),
    );
    // Linking and relinking changed neither statement.
    expect((await ctx.api.get(`/statements/${target.id}/history`).expect(200)).body.data).toEqual(before.body.data);

    const refused = await ctx.api.delete(`/statements/${target.id}`).set('change-reason', 'test').expect(409);
    expect(refused.body.dependents['relations about it'].ids).toEqual([created.body.id]);
    // The statement that relates takes its relations with it; the relation then answers 410.
    await ctx.api.delete(`/statements/${fix.id}`).set('change-reason', 'test').expect(204);
    await ctx.api.get(`/relations/${created.body.id}`).expect(410);
    await ctx.api.delete(`/statements/${target.id}`).set('change-reason', 'test').expect(204);
  });

  it('exports relations after figures and imports them back, matching by what they link', async () => {
    const exported = await ctx.api.get('/export').expect(200);
    const lines = exported.text.trim().split('\n').map((l) => JSON.parse(l) as { type: string; id: string });
    const types = lines.map((l) => l.type);
    expect(types.lastIndexOf('figure')).toBeLessThan(types.indexOf('relation'));
    const seedRelation = lines.find((l) => l.id === EXAMPLE_IDS.relation);
    expect(seedRelation).toMatchObject({
      statement: sid('israeli-media-friendly-fire'),
      kind: 'disputes',
      targetStatement: sid('israel-1200-killed'),
      targetFigure: null,
    });
    const again = await ctx.api
      .post('/import')
      .set('content-type', 'application/x-ndjson')
      .send(`${JSON.stringify(seedRelation)}\n`)
      .expect(200);
    expect(again.body.types.relation).toMatchObject({ unchanged: 1, created: 0 });
    // Without its id, the same link is the same relation; new notes update it.
    const { id: _id, createdAt: _c, updatedAt: _u, ...bare } = seedRelation as Record<string, unknown>;
    const renoted = await ctx.api
      .post('/import')
      .set('content-type', 'application/x-ndjson')
      .send(`${JSON.stringify({ ...bare, notes: 'Imported notes.' })}\n`)
      .expect(200);
    expect(renoted.body.types.relation).toMatchObject({ updated: 1 });
    expect((await ctx.api.get(`/relations/${EXAMPLE_IDS.relation}`).expect(200)).body.notes).toBe('Imported notes.');
    const broken = await ctx.api
      .post('/import?onError=skip')
      .set('content-type', 'application/x-ndjson')
      .send(`${JSON.stringify({ ...bare, type: 'relation', targetStatement: UNKNOWN_UUID })}\n`)
      .expect(200);
    expect(broken.body.failures).toEqual([
      { line: 1, type: 'relation', field: 'targetStatement', message: `no statement with id ${UNKNOWN_UUID}` },
    ]);
  });
});

describe('provenance of a statement attributed to no named person', () => {
  it('follows its relay chain like any other, with no issuer', async () => {
    const res = await ctx.api.get(`/statements/${sid('israeli-media-friendly-fire')}/provenance`).expect(200);
    expect(res.body.issuer).toBeNull();
    expect(res.body.chains).toHaveLength(1);
  });
});

describe('concurrent writers', () => {
  it('of 4 concurrent creations of one relation, exactly one succeeds and the others name it (20 trials)', async () => {
    const target = fid('moh-killed-2024-03');
    for (let trial = 0; trial < 20; trial++) {
      const s = await statement({ speaker: 'israel', text: `Concurrent dispute ${trial}.` });
      const answers = await Promise.all(
        Array.from({ length: 4 }, () => relation({ statement: s.id, kind: 'disputes', targetFigure: target })),
      );
      const created = answers.filter((a) => a.status === 201);
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409]);
      for (const a of answers.filter((x) => x.status === 409)) expect(a.body.detail).toContain(created[0].body.id);
    }
    const all = await ctx.api.get(`/relations?target=${target}&actor=israel&limit=100&total=true`).expect(200);
    expect(all.body.total).toBe(20);
  });
});
