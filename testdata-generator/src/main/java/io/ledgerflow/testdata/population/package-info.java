/**
 * Who exists and what they do: partners with accounts and opening deposits ({@link
 * io.ledgerflow.testdata.population.Population}), and the movements between them ({@link
 * io.ledgerflow.testdata.population.MovementStream}), drawn from seeded distributions so that one
 * seed always yields the same data.
 */
package io.ledgerflow.testdata.population;
