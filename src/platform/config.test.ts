import { describe, expect, it } from 'vitest';
import { loadConfig, parsePgSettings } from './config.js';

describe('CHARTROOM_PG_SETTINGS', () => {
  it('reads name=value pairs separated by ";", trimmed, names in lower case, values as written', () => {
    expect(parsePgSettings(' shared_buffers = 1GB ;work_mem=32MB;; pg_stat_statements.track=all;Max_Connections=300')).toEqual({
      shared_buffers: '1GB', work_mem: '32MB', 'pg_stat_statements.track': 'all', max_connections: '300',
    });
    expect(parsePgSettings(undefined)).toEqual({});
    expect(loadConfig({ CHARTROOM_PG_SETTINGS: 'work_mem=8MB' }, 'test').embeddedPgSettings).toEqual({ work_mem: '8MB' });
  });

  it('refuses what is not a pair, an empty value or control characters, naming the part', () => {
    for (const bad of ['shared_buffers', 'work_mem=', '=1', '1abc=2', 'a b=1', 'work_mem=1\n-c x=y']) {
      expect(() => parsePgSettings(bad), bad).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    }
    expect(() => parsePgSettings('work_mem=1MB;oops')).toThrow(/got "oops"/);
  });

  it('refuses the settings Chartroom decides itself: where the server listens and where its files are', () => {
    for (const name of ['listen_addresses', 'port', 'unix_socket_directories', 'data_directory', 'hba_file', 'LISTEN_ADDRESSES']) {
      expect(() => parsePgSettings(`${name}=x`), name).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    }
  });
});
