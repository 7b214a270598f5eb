export { generateCity, DEFAULT_CENTRE, MIN_SIZE, MAX_SIZE } from './generate-city.js';
export { writeCity, citySummary, CITY_FILES, type WriteCityOptions, type WrittenFile } from './write-city.js';
export { readCity } from './read-city.js';
export { buildGtfsZip, buildGtfsFiles, gtfsTime, GTFS_AGENCY } from './gtfs.js';
export { formatTntpTrips } from './tntp-trips.js';
export { formatTntpNet, type TntpNetFiles } from './tntp-net.js';
export { writeNetworkGeoJson } from './geojson-writer.js';
export { createRandom, normaliseSeed, type Random } from './random.js';
export type * from './types.js';
