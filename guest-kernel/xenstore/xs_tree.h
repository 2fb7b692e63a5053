/*
 * Tern guest kernel, xenstore: the node slots under the store, shared by
 * the store's operations (xs_store.c) and the commit (xs_commit.c). Not for
 * the message layer. Pure.
 */
#ifndef XS_TREE_H
#define XS_TREE_H

#include <stddef.h>
#include <stdint.h>
#include "xenstore/xs_store.h"

/* The main node at path p (len bytes): its slot, or -1. */
int xs_tree_main(const struct xs_store *s, const char *p, size_t len);

/* View v's shadow (XS_MARK, XS_DATA or XS_GONE) of p: its slot, or -1. */
int xs_tree_shadow(const struct xs_store *s, unsigned int v, const char *p, size_t len);

/* The node at p as view v sees it (an XS_MAIN or XS_DATA slot), or -1. */
int xs_tree_visible(const struct xs_store *s, unsigned int v, const char *p, size_t len);

/* Is slot i a shadow of view v? */
int xs_tree_is_shadow(const struct xs_node *n, unsigned int v);

/* A free slot, or -1; and how many are free. */
int xs_tree_free_slot(const struct xs_store *s);
/* One past the highest slot in use: every scan stops there. */
int xs_tree_top(const struct xs_store *s);
unsigned int xs_tree_free_slots(const struct xs_store *s);

/* Shadows view v holds (what XS_QUOTA_TX_NODES counts). */
unsigned int xs_tree_shadows(const struct xs_store *s, unsigned int v);

/* Shadows all of dom's views hold (what XS_QUOTA_TX_DOM_NODES counts). */
unsigned int xs_tree_shadows_of(const struct xs_store *s, uint16_t dom);

/* Pool chunks of the values of the main nodes dom owns and of its views'
 * own nodes (what XS_QUOTA_CHUNKS counts). */
unsigned int xs_tree_chunks_of(const struct xs_store *s, uint16_t dom);

/* Chunks a value of len bytes takes. */
unsigned int xs_tree_chunks(size_t len);

/* Fills slot i as kind with path p (len bytes), no value, generation gen. */
void xs_tree_fill(struct xs_store *s, int i, uint8_t kind, const char *p, size_t len,
                  uint64_t gen);

/* Frees slot i and its value. */
void xs_tree_release(struct xs_store *s, int i);

/* Replaces slot i's value with len bytes of v: 0, or -XEN_ENOSPC (kept). */
int xs_tree_set_value(struct xs_store *s, int i, const uint8_t *v, size_t len);

/* Is n's path p's (len bytes) or below it? */
int xs_tree_in_subtree(const struct xs_node *n, const char *p, size_t len);

/* A new generation for main node i; and for the main parent of p (len
 * bytes), whose list of children changed, if it exists. */
void xs_tree_touch(struct xs_store *s, int i);
void xs_tree_touch_parent(struct xs_store *s, const char *p, size_t len);

#endif /* XS_TREE_H */
