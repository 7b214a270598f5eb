import { describe, expect, it } from 'vitest';
import { interpretWay, onewayOf, accessVerdict } from '../../core/graph/osm/way-tags.js';
import { parseMaxspeed, parseMaxweight, parseMaxheight, parseLanes } from '../../core/graph/osm/tag-values.js';
import { MODE } from '../../core/graph/modes.js';

const { car, truck, bike, foot } = MODE;

describe('parseMaxspeed', () => {
  it('reads numbers, units and implicit values', () => {
    expect(parseMaxspeed('50')).toBe(50);
    expect(parseMaxspeed('50 km/h')).toBe(50);
    expect(parseMaxspeed('30 mph')).toBeCloseTo(48.28, 2);
    expect(parseMaxspeed('10 knots')).toBeCloseTo(18.52, 2);
    expect(parseMaxspeed('DE:urban')).toBe(50);
    expect(parseMaxspeed('DE:rural')).toBe(100);
    expect(parseMaxspeed('DE:zone30')).toBe(30);
    expect(parseMaxspeed('walk')).toBe(7);
    expect(parseMaxspeed('30;50')).toBe(30);
  });
  it('gives undefined for no limit and nonsense', () => {
    expect(parseMaxspeed('none')).toBeUndefined();
    expect(parseMaxspeed('signals')).toBeUndefined();
    expect(parseMaxspeed('fast')).toBeUndefined();
    expect(parseMaxspeed('0')).toBeUndefined();
    expect(parseMaxspeed(undefined)).toBeUndefined();
  });
});

describe('weight, height, lanes', () => {
  it('parses units', () => {
    expect(parseMaxweight('7.5')).toBe(7.5);
    expect(parseMaxweight('2.5 t')).toBe(2.5);
    expect(parseMaxweight('3500 kg')).toBe(3.5);
    expect(parseMaxweight('heavy')).toBeUndefined();
    expect(parseMaxheight('3.1 m')).toBe(3.1);
    expect(parseMaxheight('default')).toBeUndefined();
    expect(parseMaxheight(`14'6"`)).toBeCloseTo(4.42, 2);
    expect(parseMaxheight('30')).toBeUndefined();
    expect(parseLanes('1.5')).toBe(1.5);
    expect(parseLanes('0')).toBeUndefined();
  });
});

describe('oneway', () => {
  it('honours explicit values and implications', () => {
    expect(onewayOf({ highway: 'residential', oneway: 'yes' })).toBe(1);
    expect(onewayOf({ highway: 'residential', oneway: 'true' })).toBe(1);
    expect(onewayOf({ highway: 'residential', oneway: '1' })).toBe(1);
    expect(onewayOf({ highway: 'residential', oneway: '-1' })).toBe(-1);
    expect(onewayOf({ highway: 'residential' })).toBe(0);
    expect(onewayOf({ highway: 'motorway' })).toBe(1);
    expect(onewayOf({ highway: 'motorway_link' })).toBe(1);
    expect(onewayOf({ highway: 'motorway', oneway: 'no' })).toBe(0);
    expect(onewayOf({ highway: 'primary', junction: 'roundabout' })).toBe(1);
  });
});

describe('interpretWay', () => {
  it('a two-way residential street carries every mode both ways', () => {
    const p = interpretWay({ highway: 'residential', name: 'Hauptstraße', maxspeed: '30' })!;
    expect(p.forward.modes).toBe(car | truck | bike | foot);
    expect(p.backward.modes).toBe(car | truck | bike | foot);
    expect(p.forward.speedKmh).toBe(30);
    expect(p.name).toBe('Hauptstraße');
  });
  it('a oneway street is walkable both ways, drivable one way', () => {
    const p = interpretWay({ highway: 'residential', oneway: 'yes' })!;
    expect(p.forward.modes).toBe(car | truck | bike | foot);
    expect(p.backward.modes).toBe(foot);
    const r = interpretWay({ highway: 'residential', oneway: '-1' })!;
    expect(r.forward.modes).toBe(foot);
    expect(r.backward.modes).toBe(car | truck | bike | foot);
  });
  it('oneway:bicycle=no and cycleway=opposite open the other direction to bikes', () => {
    expect(interpretWay({ highway: 'residential', oneway: 'yes', 'oneway:bicycle': 'no' })!.backward.modes).toBe(bike | foot);
    expect(interpretWay({ highway: 'residential', oneway: 'yes', cycleway: 'opposite_lane' })!.backward.modes).toBe(bike | foot);
  });
  it('motorways are for motor vehicles only and one way', () => {
    const p = interpretWay({ highway: 'motorway', maxspeed: 'none' })!;
    expect(p.forward.modes).toBe(car | truck);
    expect(p.backward.modes).toBe(0);
    expect(p.forward.speedKmh).toBe(130);
  });
  it('a Kraftfahrstraße (motorroad=yes) keeps bikes and pedestrians off; a plain trunk does not', () => {
    expect(interpretWay({ highway: 'trunk', motorroad: 'yes' })!.forward.modes).toBe(car | truck);
    expect(interpretWay({ highway: 'trunk' })!.forward.modes).toBe(car | truck | bike | foot);
    expect(interpretWay({ highway: 'trunk', bicycle: 'no', foot: 'no' })!.forward.modes).toBe(car | truck);
  });
  it('access=private/no removes everything unless a more specific tag allows it', () => {
    expect(interpretWay({ highway: 'service', access: 'private' })).toBeUndefined();
    expect(interpretWay({ highway: 'residential', access: 'no' })).toBeUndefined();
    expect(interpretWay({ highway: 'residential', access: 'no', foot: 'yes', bicycle: 'yes' })!.forward.modes).toBe(bike | foot);
    expect(interpretWay({ highway: 'residential', motor_vehicle: 'no' })!.forward.modes).toBe(bike | foot);
    expect(interpretWay({ highway: 'residential', motor_vehicle: 'no', hgv: 'delivery' })!.forward.modes).toBe(truck | bike | foot);
    expect(interpretWay({ highway: 'residential', vehicle: 'no' })!.forward.modes).toBe(foot);
    expect(interpretWay({ highway: 'residential', access: 'destination' })!.forward.modes).toBe(car | truck | bike | foot);
    expect(interpretWay({ highway: 'primary', hgv: 'no' })!.forward.modes).toBe(car | bike | foot);
    expect(interpretWay({ highway: 'primary', bicycle: 'use_sidepath', foot: 'no' })!.forward.modes).toBe(car | truck);
  });
  it('multi-valued and unknown access values', () => {
    expect(accessVerdict('agricultural;forestry')).toBe(false);
    expect(accessVerdict('destination;agricultural')).toBe(true);
    expect(accessVerdict('Schranke! Nur für Anwohner')).toBeUndefined();
    expect(interpretWay({ highway: 'residential', motor_vehicle: 'agricultural;forestry' })!.forward.modes).toBe(bike | foot);
  });
  it('directional access tags apply to one direction', () => {
    const p = interpretWay({ highway: 'residential', 'motor_vehicle:backward': 'no' })!;
    expect(p.forward.modes).toBe(car | truck | bike | foot);
    expect(p.backward.modes).toBe(bike | foot);
  });
  it('lanes per direction: half of a two-way total, all of a oneway, explicit forward/backward win', () => {
    expect(interpretWay({ highway: 'primary', lanes: '4' })!.forward.lanes).toBe(2);
    expect(interpretWay({ highway: 'primary', lanes: '2', oneway: 'yes' })!.forward.lanes).toBe(2);
    const p = interpretWay({ highway: 'primary', lanes: '3', 'lanes:forward': '2', 'lanes:backward': '1' })!;
    expect([p.forward.lanes, p.backward.lanes]).toEqual([2, 1]);
    expect(p.forward.capacity).toBe(2 * p.backward.capacity);
  });
  it('per-direction maxspeed, weight and height limits', () => {
    const p = interpretWay({ highway: 'primary', maxspeed: '70', 'maxspeed:backward': '50', maxweight: '7.5', maxheight: '3.8' })!;
    expect([p.forward.speedKmh, p.backward.speedKmh]).toEqual([70, 50]);
    expect(p.maxWeight).toBe(7.5);
    expect(p.maxHeight).toBeCloseTo(3.8, 6);
  });
  it('non-roads and areas', () => {
    expect(interpretWay({ highway: 'construction' })).toBeUndefined();
    expect(interpretWay({ building: 'yes' })).toBeUndefined();
    expect(interpretWay({ highway: 'residential', area: 'yes' })!.forward.modes).toBe(bike | foot);
    expect(interpretWay({ highway: 'residential', oneway: 'reversible' })!.forward.modes).toBe(bike | foot);
    expect(interpretWay({ highway: 'living_street', maxspeed: 'walk' })!.forward.speedKmh).toBe(7);
  });
});
