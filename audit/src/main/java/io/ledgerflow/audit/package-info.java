/**
 * Audit tools. {@link io.ledgerflow.audit.VerifyChainMain} verifies ledger entries' hash chains
 * ({@link io.ledgerflow.audit.HashChainVerifier}) from the read model or the entries topic.
 */
package io.ledgerflow.audit;
