/**
 * Helpers of the library's own packages (JSON, primitive lists, debugging dumps). Not API: anything here may change
 * or disappear between versions; applications and examples must not use it (an architecture test checks this).
 */
package dev.coin.core.internal;
