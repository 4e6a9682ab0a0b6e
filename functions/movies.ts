// Movies and live events. GET /api/movies (city, genre, language, q), GET /api/movies/{movieId};
// operator: POST /api/movies, PATCH and DELETE /api/movies/{movieId} (DELETE withdraws the title).
import { app } from '@azure/functions';
import { z } from 'zod';
import { services } from '../shared/services.js';
import { handle, json } from '../shared/http/handler.js';
import { cacheable } from '../shared/http/caching.js';
import { documentId, parseBody, parseParams, parseQuery } from '../shared/http/validate.js';
import { invalidInput, notFound } from '../shared/errors.js';
import { FORMATS } from '../shared/domain/catalog.js';
import { isValidDate } from '../shared/domain/zoned-time.js';

const text = z.string().trim().min(1).max(100);
const QuerySchema = z.strictObject({
  city: text.optional(),
  genre: text.optional(),
  language: text.optional(),
  q: text.optional(),
});
const ParamsSchema = z.object({ movieId: documentId });

export const MovieBodySchema = z.strictObject({
  kind: z.enum(['movie', 'event']),
  title: z.string().trim().min(1).max(200),
  genres: z.array(text).min(1).max(10),
  languages: z.array(text).min(1).max(10),
  formats: z.array(z.enum(FORMATS as [string, ...string[]]).transform((f) => f as (typeof FORMATS)[number])).min(1),
  certificate: z.string().trim().min(1).max(20),
  durationMinutes: z.number().int().min(10).max(600),
  rating: z.number().min(0).max(10).optional(),
  cast: z.array(text).max(50).optional(),
  poster: z.string().max(500).optional(),
  releaseDate: z.string().refine(isValidDate, 'a date YYYY-MM-DD'),
});

app.http('movies-list', {
  route: 'movies',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const q = parseQuery(req, QuerySchema);
    const s = services();
    if (q.city && !(await s.catalog.city(q.city)))
      throw invalidInput(`Unknown city ${q.city}.`, [{ field: 'query.city', message: 'unknown city' }]);
    const items = await s.catalog.movies(q);
    return cacheable(req, JSON.stringify({ items }), { cacheControl: 'public, max-age=60' });
  }),
});

app.http('movies-get', {
  route: 'movies/{movieId}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const { movieId } = parseParams(req, ParamsSchema);
    const movie = await services().catalog.movie(movieId);
    if (!movie) throw notFound(`Movie ${movieId}`);
    return cacheable(req, JSON.stringify(movie), { cacheControl: 'public, max-age=60' });
  }),
});

app.http('movies-create', {
  route: 'movies',
  methods: ['POST'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    await s.auth.require(req, 'operator');
    const body = await parseBody(req, MovieBodySchema);
    const movie = await s.catalogAdmin.createMovie(body);
    return json(201, movie, { location: `/api/movies/${movie.id}` });
  }),
});

app.http('movies-update', {
  route: 'movies/{movieId}',
  methods: ['PATCH'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    await s.auth.require(req, 'operator');
    const { movieId } = parseParams(req, ParamsSchema);
    const body = await parseBody(req, MovieBodySchema.partial());
    return json(200, await s.catalogAdmin.updateMovie(movieId, body));
  }),
});

app.http('movies-withdraw', {
  route: 'movies/{movieId}',
  methods: ['DELETE'],
  authLevel: 'anonymous',
  handler: handle(async (req) => {
    const s = services();
    await s.auth.require(req, 'operator');
    const { movieId } = parseParams(req, ParamsSchema);
    return json(200, await s.catalogAdmin.withdrawMovie(movieId));
  }),
});
