import { parseCron, shortestIntervalSeconds } from '../../src/iam/cron';
import { ScheduleSettingsError } from '../../src/iam/errors';

describe('shortestIntervalSeconds', () => {
  it.each([
    ['0 * * * *', 3600],
    ['*/15 * * * *', 900],
    ['5,50 * * * *', 900],
    ['0 */6 * * *', 21_600],
    ['0 9-17 * * 1-5', 3600],
    ['30 2 * * *', 86_400],
    ['0 3 * * 0', 604_800],
    ['0 0 1 * *', 28 * 86_400],
    ['0 0 1,15 * 1', 86_400],
  ])('finds the shortest gap between two runs of "%s": %i s', (expression, seconds) => {
    // Act
    const interval = shortestIntervalSeconds(parseCron(expression));
    // Assess
    expect(interval).toBe(seconds);
  });

  it('counts the gap across days, months and years, not only within a day', () => {
    // Act: runs at 23:50 and 00:10 are 20 minutes apart across midnight.
    const interval = shortestIntervalSeconds(parseCron('10,50 0,23 * * *'));
    // Assess
    expect(interval).toBe(1200);
  });

  it('refuses an expression that never runs', () => {
    // Act
    const act = () => shortestIntervalSeconds(parseCron('0 0 30 2 *'));
    // Assess
    expect(act).toThrow(ScheduleSettingsError);
    expect(act).toThrow('never runs');
  });
});

describe('parseCron', () => {
  it.each([
    ['@hourly', 'has 1 field(s), not 5'],
    ['0 * * *', 'has 4 field(s), not 5'],
    ['60 * * * *', 'minute: 60 is outside 0-59'],
    ['0 24 * * *', 'hour: 24 is outside 0-23'],
    ['0 0 0 * *', 'day of month: 0 is outside 1-31'],
    ['0 0 * 13 *', 'month: 13 is outside 1-12'],
    ['0 0 * * 8', 'day of week: 8 is outside 0-7'],
    ['*/0 * * * *', 'minute: 0 is outside 1-59'],
    ['5-1 * * * *', 'the range "5-1" runs backwards'],
    ['0 0 * JAN *', 'month: "JAN" is not a number'],
  ])('refuses "%s", naming the field: %s', (expression, message) => {
    // Act
    const act = () => parseCron(expression);
    // Assess
    expect(act).toThrow(ScheduleSettingsError);
    expect(act).toThrow(message);
  });

  it('writes the expression back with single spaces', () => {
    // Act
    const schedule = parseCron('  0   *  * * * ');
    // Assess
    expect(schedule.expression).toBe('0 * * * *');
  });
});
