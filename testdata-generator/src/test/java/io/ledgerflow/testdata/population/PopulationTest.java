package io.ledgerflow.testdata.population;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ledgerflow.avro.AccountType;
import io.ledgerflow.avro.MovementType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PopulationTest {

    @Test
    void defaultPopulationHasAThousandPartnersWithFundedAccounts() {
        Population p = Population.generate(GeneratorSettings.defaults());
        assertThat(p.partners()).hasSize(1_000);
        assertThat(p.accounts()).hasSize(5_000);
        assertThat(new HashSet<>(p.accountIds())).as("unique account ids").hasSize(5_000);
        assertThat(p.partners().stream().map(Partner::apiKey).distinct()).hasSize(1_000);
        assertThat(p.accounts()).allMatch(a -> a.openingDepositMinor() > 0);
        assertThat(p.accounts()).allMatch(a -> a.id().startsWith("s42-"));
        Set<String> currencies = new HashSet<>();
        p.accounts().forEach(a -> currencies.add(a.currency()));
        assertThat(currencies).containsExactlyInAnyOrder("EUR", "USD", "GBP");
    }

    @Test
    void groupsHoldOnePartnersAccountsOfOneCurrency() {
        Population p = Population.generate(GeneratorSettings.defaults());
        for (int g = 0; g < p.groupCount(); g++) {
            List<Account> group = p.group(g);
            assertThat(group).isNotEmpty();
            assertThat(group.stream().map(Account::partnerId).distinct()).hasSize(1);
            assertThat(group.stream().map(Account::currency).distinct()).hasSize(1);
            int index = g;
            assertThat(group).allMatch(a -> a.group() == index);
            // 5 accounts split over at most two currencies: transfers always have a peer.
            assertThat(group.size()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void settlementAccountsAreOnePerPartnerAndCurrencyInItsGroupAndTheRestIsUnchanged() {
        GeneratorSettings plain = GeneratorSettings.defaults().withPopulation(60, 5);
        Population without = Population.generate(plain);
        Population with = Population.generate(plain.toBuilder().settlementAccounts(true).build());
        assertThat(without.settlementAccounts()).isEmpty();

        Set<String> partnerCurrencies = new HashSet<>();
        without.accounts().forEach(a -> partnerCurrencies.add(a.partnerId() + "/" + a.currency()));
        assertThat(with.settlementAccounts()).hasSize(partnerCurrencies.size());
        for (Account s : with.settlementAccounts()) {
            assertThat(partnerCurrencies.remove(s.partnerId() + "/" + s.currency())).isTrue();
            assertThat(s.id()).matches("s42-p\\d{4}-settlement-[a-z]{3}");
            assertThat(s.openingDepositMinor()).isPositive();
            // In its partner's group of its currency: transfers reach it and leave it.
            assertThat(with.group(s.group()))
                    .contains(s)
                    .allMatch(
                            a ->
                                    a.partnerId().equals(s.partnerId())
                                            && a.currency().equals(s.currency()));
        }
        assertThat(partnerCurrencies).as("every partner and currency has one").isEmpty();
        // Opened and funded like every other account.
        assertThat(with.openings())
                .filteredOn(o -> o.accountType() == AccountType.SETTLEMENT)
                .hasSameSizeAs(with.settlementAccounts());
        assertThat(with.openingDeposits("r").stream().map(Movement::destinationAccountId))
                .containsAll(with.settlementAccounts().stream().map(Account::id).toList());
        // The other accounts keep their ids, currencies and deposits.
        assertThat(
                        with.accounts().stream()
                                .filter(a -> a.type() != AccountType.SETTLEMENT)
                                .map(a -> a.id() + a.currency() + a.openingDepositMinor())
                                .toList())
                .isEqualTo(
                        without.accounts().stream()
                                .map(a -> a.id() + a.currency() + a.openingDepositMinor())
                                .toList());
    }

    @Test
    void sameSeedSamePopulationOtherSeedOtherPopulation() {
        GeneratorSettings s = GeneratorSettings.defaults().withPopulation(50, 4);
        assertThat(Population.generate(s).accounts()).isEqualTo(Population.generate(s).accounts());
        List<Account> other = Population.generate(s.withSeed(43)).accounts();
        assertThat(other.get(0).id()).startsWith("s43-");
        assertThat(other.stream().map(Account::openingDepositMinor).toList())
                .isNotEqualTo(
                        Population.generate(s).accounts().stream()
                                .map(Account::openingDepositMinor)
                                .toList());
    }

    @Test
    void keysFileLinesHashEachPartnersKey() {
        Population p = Population.generate(GeneratorSettings.defaults().withPopulation(3, 2));
        List<String> lines = p.apiKeysFileLines();
        assertThat(lines.get(0)).startsWith("#");
        assertThat(lines.subList(1, lines.size()))
                .containsExactly(
                        p.partners().stream()
                                .map(
                                        partner ->
                                                partner.id()
                                                        + ":partner:"
                                                        + Population.sha256Hex(partner.apiKey()))
                                .toArray(String[]::new));
        assertThat(p.partners().get(0).toString()).doesNotContain(p.partners().get(0).apiKey());
    }

    @Test
    void developmentKeysNameTheApisTwoDevelopmentPartners() {
        GeneratorSettings dev =
                GeneratorSettings.defaults().toBuilder().partners(2).devKeys(true).build();
        assertThat(Population.generate(dev).partners())
                .extracting(Partner::id, Partner::apiKey)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("dev-partner", "dev-partner-key"),
                        org.assertj.core.groups.Tuple.tuple("dev-partner-2", "dev-partner-2-key"));
        assertThatThrownBy(() -> GeneratorSettings.defaults().toBuilder().devKeys(true).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void openingDepositsFundEveryAccountOnceWithRunScopedIds() {
        Population p = Population.generate(GeneratorSettings.defaults().withPopulation(10, 3));
        List<Movement> deposits = p.openingDeposits("r1");
        assertThat(deposits).hasSize(30);
        assertThat(deposits).allMatch(m -> m.type() == MovementType.DEPOSIT);
        assertThat(deposits).allMatch(m -> m.transactionId().startsWith("r1-open-"));
        assertThat(deposits.stream().map(Movement::destinationAccountId).toList())
                .isEqualTo(p.accountIds());
        assertThat(p.openings().stream().map(AccountOpening::accountId).toList())
                .isEqualTo(p.accountIds());
    }

    @Test
    void amountsScaleToTheCurrencysMinorUnits() {
        assertThat(Population.toCurrency(1_234, "EUR")).isEqualTo(1_234);
        assertThat(Population.toCurrency(1_234, "JPY")).isEqualTo(12);
        assertThat(Population.toCurrency(1_234, "BHD")).isEqualTo(12_340);
    }
}
