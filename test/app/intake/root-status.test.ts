import { describe, expect, it } from 'vitest';
import { codecFamily } from '../../../app/intake/codec';
import {
  describeRootStatus,
  eventlessFileSystemName,
  intakeStatus,
  pollingMessage,
  rootStatus,
  watcherErrorMessage,
} from '../../../app/intake/root-status';

describe('root status', () => {
  it('names network and user-space file systems by their statfs magic, and no local one', () => {
    expect(eventlessFileSystemName(0x6969)).toBe('NFS');
    expect(eventlessFileSystemName(0xff534d42)).toBe('CIFS');
    expect(eventlessFileSystemName(0xfe534d42n)).toBe('SMB2');
    expect(eventlessFileSystemName(0x65735546)).toBe('FUSE');
    expect(eventlessFileSystemName(0xef53)).toBeUndefined(); // ext4
    expect(eventlessFileSystemName(0x01021994)).toBeUndefined(); // tmpfs
  });

  it('tells the user what to do for each watcher error', () => {
    expect(watcherErrorMessage('ENOSPC', 'x')).toMatch(/fs\.inotify\.max_user_watches/u);
    expect(watcherErrorMessage('EMFILE', 'x')).toMatch(/open-file limit/u);
    expect(watcherErrorMessage('EACCES', 'x')).toMatch(/read access/u);
    expect(watcherErrorMessage('ENOENT', 'x')).toMatch(/no longer exists/u);
    expect(watcherErrorMessage(undefined, 'odd failure')).toMatch(/odd failure/u);
    expect(pollingMessage('SMB', 30_000)).toMatch(/SMB drive.*every 30 s/u);
  });

  it('shows a root by its escaped name, keyed by its path, and sums the roots up', () => {
    const hostile = rootStatus({ path: '/videos/clips\u202eevil', state: 'watching' });
    expect(hostile).toEqual({
      folder: 'clips\\u{202e}evil',
      key: '/videos/clips\u202eevil',
      state: 'watching',
    });
    const broken = rootStatus({ path: '/mnt/usb', state: 'error', message: 'gone' });
    expect(intakeStatus([hostile, broken], false)).toMatchObject({
      state: 'watching',
      message: '1 of 2 folders need attention.',
    });
    expect(intakeStatus([broken], false)).toMatchObject({ state: 'error', message: 'gone' });
    expect(intakeStatus([], true).state).toBe('starting');
    expect(describeRootStatus(broken)).toBe('problem   /mnt/usb: gone');
  });

  it('names a codec the same whatever the container calls it', () => {
    expect(codecFamily('avc1')).toBe(codecFamily('V_MPEG4/ISO/AVC'));
    expect(codecFamily('hvc1')).toBe(codecFamily('V_MPEGH/ISO/HEVC'));
    expect(codecFamily('avc1')).not.toBe(codecFamily('hvc1'));
    expect(codecFamily(undefined)).toBeUndefined();
  });
});
