import { clusterNote, driversPhrase } from '../queries/cluster';
import { aCluster, EXAMPLE } from './fixtures';

const snapshot = EXAMPLE;

describe('driversPhrase', () => {
  it.each([
    [
      { drivers: 2, driver_cores: 2, driver_memory_mb: 2048 },
      '2 drivers hold 2 cores · 2 GiB'
    ],
    [
      { drivers: 1, driver_cores: 1, driver_memory_mb: 896 },
      '1 driver holds 1 core · 896 MiB'
    ],
    [{ drivers: 3, driver_memory_mb: 3072 }, '3 drivers hold 3 GiB']
  ])('says what the drivers hold: %j', (cluster, phrase) => {
    expect(driversPhrase(aCluster(cluster))).toBe(phrase);
  });

  it('says that there are some when their size is unknown', () => {
    expect(driversPhrase(aCluster({ drivers: 2 }))).toBe(
      '2 drivers run outside the executor slots'
    );
    expect(driversPhrase(aCluster({ drivers: 1, driver_cores: null }))).toBe(
      '1 driver runs outside the executor slots'
    );
  });

  it('is null without drivers or when the topology cannot tell', () => {
    expect(driversPhrase(snapshot.cluster)).toBeNull();
    expect(driversPhrase(aCluster({ drivers: 0, driver_cores: 0 }))).toBeNull();
    expect(driversPhrase(aCluster({ drivers: null }))).toBeNull();
    expect(driversPhrase(null)).toBeNull();
  });
});

describe('clusterNote', () => {
  it('is the server sentence, or null', () => {
    const note =
      "Capacity from Glue's worker-type table (G.1X x 5): YARN is not configured.";
    expect(clusterNote(aCluster({ note }))).toBe(note);
    expect(clusterNote(aCluster({ note: `  ${note}\n` }))).toBe(note);
    expect(clusterNote(aCluster({ note: '  ' }))).toBeNull();
    expect(clusterNote(aCluster({ note: null }))).toBeNull();
    expect(clusterNote(aCluster({ note: 42 as unknown as string }))).toBeNull();
    expect(clusterNote(snapshot.cluster)).toBeNull();
    expect(clusterNote(null)).toBeNull();
  });
});
