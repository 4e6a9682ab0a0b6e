// A horizontal rail of recommended titles: poster, title, the reason it is there, and its next
// show. Each card links to the title's page on the date of that show.
import type { Rail } from '../api/types';
import { dateLong, time } from '../format';
import { Poster } from './poster';

export function RecommendationRail({ heading, rail, timeZone }: { heading: string; rail: Rail; timeZone: string }) {
  if (!rail.items.length) return null;
  const id = `rail-${heading.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return (
    <section class="rail" aria-labelledby={id}>
      <h2 id={id}>{heading}</h2>
      <ul class="rail-list">
        {rail.items.map((item) => {
          const next = item.shows[0];
          const date = next ? new Date(next.startsAt).toLocaleDateString('en-CA', { timeZone }) : undefined;
          return (
            <li key={item.movieId} class="rail-card">
              <a class="movie-link" href={`/movies/${encodeURIComponent(item.movieId)}${date ? `?date=${date}` : ''}`}>
                <Poster
                  movie={{
                    id: item.movieId,
                    title: item.title,
                    genres: item.genres,
                    poster: item.poster,
                    kind: item.kind,
                  }}
                />
                <span class="movie-title">{item.title}</span>
              </a>
              <p class="rail-reason">{item.reason}</p>
              {next && (
                <p class="meta small">
                  Next: {dateLong(next.startsAt, timeZone)}, {time(next.startsAt, timeZone)}
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
