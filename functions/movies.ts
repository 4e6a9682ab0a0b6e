// Movies and live events. GET /api/movies (city, genre, language, q), GET /api/movies/{movieId};
// operator: POST /api/movies, PATCH and DELETE /api/movies/{movieId} (DELETE withdraws the title).
import { app } from '@azure/functions';
import { services } from '../shared/services.js';
import { handle, json } from '../shared/http/handler.js';
import { cacheable } from '../shared/http/caching.js';
import { parseBody, parseParams, parseQuery } from '../shared/http/validate.js';
import { invalidInput, notFound } from '../shared/errors.js';
import {
  MovieBodySchema,
  MoviePatchSchema,
  MovieParamsSchema as ParamsSchema,
  MovieQuerySchema as QuerySchema,
} from '../shared/catalog/api-schemas.js';

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
    const body = await parseBody(req, MoviePatchSchema);
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
