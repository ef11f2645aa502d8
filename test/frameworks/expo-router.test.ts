/** Expo Router API routes: the URL path from the file path. */
import { describe, expect, it } from 'vitest';
import { expoApiPath } from '../../src/frameworks/expo-router.js';

describe('Expo Router API paths', () => {
  it('drops groups, keeps parameters, and serves index at its folder', () => {
    expect(expoApiPath('api/(chat)/', 'stream')).toBe('/api/stream');
    expect(expoApiPath('api/users/', '[id]')).toBe('/api/users/:id');
    expect(expoApiPath('api/files/', '[...path]')).toBe('/api/files/:path*');
    expect(expoApiPath('api/', 'index')).toBe('/api');
    expect(expoApiPath('', 'index')).toBe('/');
  });
});
