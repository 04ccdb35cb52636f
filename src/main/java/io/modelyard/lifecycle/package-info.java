/**
 * A tenant's life after it asks to leave: erasure of everything it owns once the grace period of its deletion has
 * ended. Depends on tenant/ (the deletion itself), storage/ (its blobs) and the database's erasure functions; no
 * other package depends on this one.
 */
package io.modelyard.lifecycle;
