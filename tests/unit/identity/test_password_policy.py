"""The password policy beyond length (#9, item 10): common passwords, patterns and the
account's own details are refused; a long unpredictable one passes."""

from __future__ import annotations

import pytest

from adapters.crypto.password_policy import ZxcvbnPasswordPolicy

POLICY = ZxcvbnPasswordPolicy()


@pytest.mark.parametrize(
    "password",
    ["password1234", "qwertyuiop123", "1234567890", "iloveyou2024", "x" * 16, "abcdefghijkl"],
)
def test_common_and_patterned_passwords_are_guessable(password: str) -> None:
    assert POLICY.guessable(password)


def test_the_accounts_own_details_make_a_password_guessable() -> None:
    related = ["li.wei@huaxia-trading.com", "Li Wei", "huaxia-trading"]
    assert not POLICY.guessable("Huaxia-Trading-88")
    assert POLICY.guessable("Huaxia-Trading-88", related)


@pytest.mark.parametrize("password", ["correct-horse-battery", "try-the-demo-shop", "q8#Lr2!vZm0p"])
def test_unpredictable_passwords_pass(password: str) -> None:
    assert not POLICY.guessable(password)


def test_a_very_long_password_is_judged_quickly_and_passes() -> None:
    assert not POLICY.guessable("Vw9-tq3-Lm2-" * 100)
