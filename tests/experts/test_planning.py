"""Automatic assignment on random organisation trees and expert pools (hypothesis)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.experts.avoidance import conflicts
from portal.experts.planning import plan


@st.composite
def worlds(draw):
    """A province with cities, counties and schools; experts placed anywhere in it (or outside it)."""
    cities = draw(st.integers(1, 5))
    tree = []  # (path, kind, city path)
    for c in range(cities):
        city = f"/P/C{c}/"
        tree.append((city, "city", city))
        for k in range(draw(st.integers(1, 3))):
            county = f"{city}K{k}/"
            tree.append((county, "county", city))
            for s in range(draw(st.integers(0, 3))):
                tree.append((f"{county}S{s}/", "school", city))
    applicants = [t for t in tree if t[1] in ("school", "county")]
    apps = {i: draw(st.sampled_from(applicants))[0] for i in range(draw(st.integers(1, 25)))}
    experts = {}
    for e in range(draw(st.integers(1, 12))):
        where = draw(st.sampled_from(tree + [("/P/UNI/", "other", None)]))
        path, kind, city = where
        avoid = {f"={path}"}
        if kind in ("school", "county", "city"):
            avoid.add(path)
        if city:
            avoid.add(city)
        if draw(st.booleans()):  # a registered region (another city)
            avoid.add(draw(st.sampled_from([t for t in tree if t[1] == "city"]))[0])
        experts[e] = frozenset(avoid)
    k = draw(st.integers(1, 4))
    return apps, experts, k


@settings(max_examples=300, deadline=None)
@given(worlds())
def test_assignment_never_breaks_avoidance_and_fills_what_it_can(world):
    apps, experts, k = world
    result = plan(apps, experts, k)
    given_to = {}
    for a, e in result.pairs:
        assert not conflicts(experts[e], apps[a]), "an expert was given an applicant it must avoid"
        given_to.setdefault(a, []).append(e)
    for a in apps:
        chosen = given_to.get(a, [])
        assert len(chosen) == len(set(chosen)), "the same expert twice on one application"
        eligible = [e for e in experts if not conflicts(experts[e], apps[a])]
        assert len(chosen) == min(k, len(eligible))
        assert result.short.get(a, 0) == k - len(chosen)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 40), st.integers(1, 15), st.integers(1, 5))
def test_without_conflicts_every_experts_load_is_within_one(applications, experts, k):
    k = min(k, experts)
    result = plan({a: f"/P/C0/K0/S{a}/" for a in range(applications)}, {e: frozenset() for e in range(experts)}, k)
    load = dict.fromkeys(range(experts), 0)
    for _, e in result.pairs:
        load[e] += 1
    assert max(load.values()) - min(load.values()) <= 1
    assert len(result.pairs) == applications * k


def test_existing_load_and_declared_conflicts_are_respected():
    result = plan(
        {1: "/P/C0/S1/"},
        {10: frozenset(), 11: frozenset(), 12: frozenset()},
        2,
        existing={1: {10}},
        load={10: 5, 11: 0, 12: 0},
        excluded={(1, 11)},
    )
    assert result.pairs == [(1, 12)]
