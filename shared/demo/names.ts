// Fixed word lists for the demo catalog. Invented titles; any likeness to real films is chance.
import type { City, Format } from '../domain/catalog.js';

export const CITIES: (City & { languages: string[]; venueNames: string[] })[] = [
  {
    id: 'blr',
    name: 'Bengaluru',
    timeZone: 'Asia/Kolkata',
    currency: 'INR',
    languages: ['Kannada', 'English', 'Hindi', 'Tamil', 'Telugu'],
    venueNames: [
      'Orion Mall',
      'Forum Koramangala',
      'Phoenix Whitefield',
      'Garuda Central',
      'Indiranagar Cinemas',
      'Mantri Square',
    ],
  },
  {
    id: 'mum',
    name: 'Mumbai',
    timeZone: 'Asia/Kolkata',
    currency: 'INR',
    languages: ['Hindi', 'Marathi', 'English'],
    venueNames: ['Juhu Pictures', 'Lower Parel Lights', 'Andheri Multiplex', 'Bandra Talkies', 'Powai Screens'],
  },
  {
    id: 'del',
    name: 'Delhi',
    timeZone: 'Asia/Kolkata',
    currency: 'INR',
    languages: ['Hindi', 'English', 'Punjabi'],
    venueNames: [
      'Saket Select',
      'Connaught Place Regal',
      'Vasant Kunj Cinemas',
      'Dwarka Sector 14',
      'Rajouri Garden Plex',
    ],
  },
  {
    id: 'hyd',
    name: 'Hyderabad',
    timeZone: 'Asia/Kolkata',
    currency: 'INR',
    languages: ['Telugu', 'Hindi', 'English', 'Tamil'],
    venueNames: [
      'Banjara Hills Screens',
      'Hitech City Cinemas',
      'Kukatpally Plex',
      'Ameerpet Talkies',
      'Gachibowli Mall',
    ],
  },
  {
    id: 'dxb',
    name: 'Dubai',
    timeZone: 'Asia/Dubai',
    currency: 'AED',
    languages: ['English', 'Hindi', 'Arabic', 'Malayalam'],
    venueNames: ['Marina Walk Cinemas', 'Deira City Screens', 'Al Barsha Plex', 'Downtown Lights', 'Jumeirah Cinema'],
  },
  {
    id: 'sin',
    name: 'Singapore',
    timeZone: 'Asia/Singapore',
    currency: 'SGD',
    languages: ['English', 'Tamil', 'Mandarin', 'Hindi'],
    venueNames: [
      'Orchard Picturehouse',
      'Jurong Point Cinemas',
      'Tampines Screens',
      'Marina Bay Lights',
      'Bugis Junction Plex',
    ],
  },
];

export const MOVIE_TITLES = [
  'The Last Monsoon',
  'Iron Kite',
  'Midnight at Malabar',
  'Seven Rivers',
  'The Glass Courtyard',
  'Neon Dhaba',
  'Orbit of Ashes',
  'A Tale of Two Trains',
  'Saffron Skies',
  'The Quiet Harbour',
  'Kingdom of Dust',
  'Lantern Street',
  'Echoes of Hampi',
  'Storm Runner',
  'The Paper Crown',
  'Tiger Tiger',
  'Second Innings',
  'The Salt Road',
  'Velvet Thunder',
  'Night Bus to Ooty',
  'Starfall',
  'The Ninth Raga',
  'Copper Moon',
  'Deep Blue Ganga',
  'Laughing Buddha Inc.',
  'The Clockmaker',
  'Red Fort Heist',
  'Winds of Ladakh',
  'Little Robot Raju',
  'Ghost of Gol Gumbaz',
  'The Spice Merchant',
  'Final Frame',
  'Monsoon Wedding Party',
  'Beyond the Ghats',
];

/**
 * The live events with their genre and who is on the bill (the catalog's `cast`): the performers of
 * a concert or a comedy night, the two sides of a fixture. Fictional names, like the films'.
 */
export const EVENTS: readonly { title: string; genre: string; cast: string[] }[] = [
  { title: 'Arena Rock Night', genre: 'Concert', cast: ['The Monsoon Riders', 'Neon Tigers'] },
  { title: 'T20 Derby: Mumbai Mariners v Delhi Comets', genre: 'Cricket', cast: ['Mumbai Mariners', 'Delhi Comets'] },
  { title: 'Sufi Under the Stars', genre: 'Music', cast: ['The Qawwali Collective', 'Noor Ensemble'] },
  { title: 'Stand-up Spectacular', genre: 'Comedy', cast: ['Kiran Bhat', 'Meera Joseph', 'Sunny Arora'] },
  { title: 'Football Classic: Reds v Blues', genre: 'Football', cast: ['Reds FC', 'Blues FC'] },
  { title: 'Symphony of the Monsoon', genre: 'Concert', cast: ['Western Ghats Symphony Orchestra'] },
  { title: 'Indie Music Festival', genre: 'Music', cast: ['Paper Boats', 'Lantern Street', 'Kites of Kochi'] },
  { title: 'Kabaddi Super League Final', genre: 'Kabaddi', cast: ['Pune Pioneers', 'Jaipur Jaguars'] },
];

export const EVENT_TITLES = EVENTS.map((e) => e.title);

/** Sports fixtures are sold non-refundable (the cancellation policy refuses them); the rest refund. */
export const NON_REFUNDABLE_EVENT_TITLES: ReadonlySet<string> = new Set([
  'T20 Derby: Mumbai Mariners v Delhi Comets',
  'Football Classic: Reds v Blues',
  'Kabaddi Super League Final',
]);

export const GENRES = [
  'Action',
  'Drama',
  'Comedy',
  'Thriller',
  'Romance',
  'Sci-Fi',
  'Horror',
  'Animation',
  'Family',
  'Mystery',
];
export const EVENT_GENRES = ['Concert', 'Cricket', 'Comedy', 'Football', 'Music', 'Kabaddi'];
export const LANGUAGES = [
  'Hindi',
  'English',
  'Tamil',
  'Telugu',
  'Kannada',
  'Malayalam',
  'Marathi',
  'Punjabi',
  'Arabic',
  'Mandarin',
];
export const CERTIFICATES = ['U', 'UA', 'UA', 'A'];
export const CAST = [
  'Aarav Mehta',
  'Diya Rao',
  'Kabir Sen',
  'Meera Iyer',
  'Rohan Kapoor',
  'Ananya Das',
  'Vikram Nair',
  'Zara Khan',
  'Arjun Reddy',
  'Isha Menon',
  'Nikhil Joshi',
  'Sara Thomas',
];
export const SCREEN_FORMATS: Format[][] = [['2D', '3D'], ['2D'], ['2D', '3D', 'IMAX'], ['2D', '3D']];
