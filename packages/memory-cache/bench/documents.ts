/**
 * 10,000 generated but varied memories, the kind an agent stores about its user: facts, preferences, events,
 * across ten topics, with names, places, dates and numbers. Seeded, so every run indexes the same text.
 */

import { mulberry32 } from '@lunar/dev-kit';

const topics: Record<string, string[]> = {
  travel:
    'flight hotel passport train luggage visa airport itinerary beach museum hostel ferry tickets booking layover sightseeing map rental cruise tour'.split(
      ' ',
    ),
  cooking:
    'recipe pasta garlic oven sourdough curry spices salad roast dumplings noodles baking vegetarian soup grill sauce dessert lentils tofu risotto'.split(
      ' ',
    ),
  work: 'meeting deadline project manager report client budget roadmap standup review promotion contract presentation quarterly hiring onboarding invoice proposal sprint launch'.split(
    ' ',
  ),
  health:
    'doctor allergy running sleep vitamins dentist yoga appointment prescription knee marathon diet migraine therapy gym stretching checkup blood pressure swimming'.split(
      ' ',
    ),
  family:
    'daughter son mother father birthday anniversary wedding school grandmother cousin holiday dinner gift sister brother nephew reunion babysitter graduation piano'.split(
      ' ',
    ),
  tech: 'laptop keyboard database server deployment kubernetes typescript python backup router password monitor compiler docker sqlite linux benchmark cache latency gpu'.split(
    ' ',
  ),
  music:
    'guitar concert playlist jazz vinyl festival band album violin choir headphones lyrics opera drums rehearsal symphony podcast record melody tickets'.split(
      ' ',
    ),
  finance:
    'mortgage savings taxes pension stocks budget loan insurance salary rent invoice bank credit receipt refund subscription bills donation investment expenses'.split(
      ' ',
    ),
  sports:
    'football tennis cycling climbing skiing match league coach training stadium racket helmet marathon hiking kayak season tournament referee goalkeeper surfing'.split(
      ' ',
    ),
  garden:
    'tomatoes roses compost seeds watering greenhouse lawn hedge orchard basil tulips pruning soil mulch beehive shed pond herbs sunflowers strawberries'.split(
      ' ',
    ),
};

const people =
  'Alice Bob Chen Dara Emeka Farah Gustav Hana Ines Jonas Kofi Lena Mateo Nadia Oskar Priya Quentin Rosa Sven Tomoko'.split(
    ' ',
  );
const places = [
  'Paris',
  'Lisbon',
  'Kyoto',
  'Nairobi',
  'Berlin',
  'Montreal',
  'Lima',
  'Oslo',
  'Seoul',
  'Cape Town',
  'Austin',
  'Porto',
  'Hanoi',
  'Dublin',
  'Bologna',
  'Valparaiso',
  'Tbilisi',
  'Krakow',
  'Osaka',
  'Reykjavik',
];
const adjectives =
  'cheap quiet crowded late early spicy expensive broken new old favourite awful lovely urgent long short noisy cosy rainy sunny vegan heavy light slow fast second annual weekly monthly surprise local foreign shared private outdoor indoor handmade secondhand delayed cancelled'.split(
    ' ',
  );
const months = 'January February March April May June July August September October November December'.split(
  ' ',
);
const templates = [
  (s: Slots) => `${s.person} mentioned the ${s.a} and the ${s.b} while we talked about ${s.place}.`,
  (s: Slots) => `User prefers ${s.a} over ${s.b}, especially in ${s.month}.`,
  (s: Slots) => `Remember: the ${s.a} with ${s.person} is on ${s.month} ${s.day}, ${s.count} people.`,
  (s: Slots) => `${s.person} asked for advice on ${s.a}, ${s.b} and ${s.c}.`,
  (s: Slots) => `Spent ${s.count} euros on ${s.a} in ${s.place}; the ${s.b} was worth it.`,
  (s: Slots) => `Do not suggest ${s.a} again: the user found the ${s.b} too much last ${s.month}.`,
  (s: Slots) => `Note from ${s.month}: ${s.a} first, then ${s.b}, ask ${s.person} about the ${s.c}.`,
  (s: Slots) => `The user's favourite ${s.a} place is in ${s.place}, near the ${s.b}.`,
  (s: Slots) => `${s.person} thinks the ${s.adjective} ${s.a} in ${s.place} beats any ${s.b}.`,
  (s: Slots) =>
    `Reminder for ${s.month}: book the ${s.adjective} ${s.a}, budget ${s.count}, bring the ${s.c}.`,
  (s: Slots) =>
    `A ${s.adjective} ${s.b} made the ${s.a} with ${s.person} memorable (${s.place}, ${s.day} ${s.month}).`,
];

interface Slots {
  person: string;
  place: string;
  month: string;
  adjective: string;
  day: number;
  count: number;
  a: string;
  b: string;
  c: string;
}

/** Zipf-like pick: early words of a list are much more frequent than late ones, as in real text. */
function zipf<T>(items: readonly T[], next: () => number): T {
  return items[Math.floor(items.length * next() ** 2.2)] as T;
}

export function generateDocuments(count: number, seed = 42): string[] {
  const next = mulberry32(seed);
  const topicNames = Object.keys(topics);
  const documents: string[] = [];
  for (let index = 0; index < count; index++) {
    const sentences = 1 + Math.floor(next() * 4);
    const parts: string[] = [];
    for (let sentence = 0; sentence < sentences; sentence++) {
      // Mostly one topic per memory, sometimes a second one mixed in.
      const topic = topics[zipf(topicNames, next)] as string[];
      const other =
        next() < 0.3
          ? (topics[topicNames[Math.floor(next() * topicNames.length)] as string] as string[])
          : topic;
      const slots: Slots = {
        person: zipf(people, next),
        place: zipf(places, next),
        month: months[Math.floor(next() * 12)] as string,
        adjective: zipf(adjectives, next),
        day: 1 + Math.floor(next() * 28),
        count: 2 + Math.floor(next() * 200),
        a: zipf(topic, next),
        b: zipf(other, next),
        c: zipf(topic, next),
      };
      parts.push((templates[Math.floor(next() * templates.length)] as (s: Slots) => string)(slots));
    }
    documents.push(parts.join(' '));
  }
  return documents;
}

/** Queries an agent would send: two to four words from the same vocabulary, seeded. */
export function generateQueries(count: number, seed = 7): string[] {
  const next = mulberry32(seed);
  const words = [...Object.values(topics).flat(), ...people, ...places, ...adjectives];
  return Array.from({ length: count }, () => {
    const length = 2 + Math.floor(next() * 3);
    return Array.from({ length }, () => words[Math.floor(next() * words.length)]).join(' ');
  });
}
