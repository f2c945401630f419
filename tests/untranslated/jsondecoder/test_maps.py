"""Maps: shared hidden classes, key speculation, statistics and blocking
(jsondecoder/maps.py)."""
import json

from hypothesis import given, settings, strategies as st

from jsondecoder import maps
from jsondecoder.maps import STATE_USEFUL, STATE_BLOCKED
from jsondecoder_helpers import make_decoder, to_python


def records(count, keys=('id', 'name', 'email')):
    return json.dumps([dict((key, i) for key in keys) for i in range(count)],
                      sort_keys=True)


def test_objects_with_same_keys_share_one_map(decoder):
    w_array = decoder.decode('[{"a": 1, "b": 2}, {"a": 3, "b": 4}]')
    first, second = w_array.items_w
    assert first.is_map_storage()
    assert first.jsonmap is second.jsonmap
    assert [key.utf8 for key in first.jsonmap.keys()] == ['a', 'b']


def test_key_order_gives_different_maps(decoder):
    w_array = decoder.decode('[{"a": 1, "b": 2}, {"b": 3, "a": 4}]')
    first, second = w_array.items_w
    assert first.jsonmap is not second.jsonmap


def test_maps_are_shared_between_documents(decoder):
    first = decoder.decode('{"x": 1, "y": 2}')
    second = decoder.decode('{"x": 5, "y": 6}')
    assert first.jsonmap is second.jsonmap


def test_map_lookup_finds_values_by_key(decoder):
    w_object = decoder.decode('{"a": 1, "b": "two", "c": null}')
    assert w_object.getitem('b').utf8 == 'two'
    assert w_object.getitem('missing') is None
    assert w_object.jsonmap.index_of('c') == 2


def test_speculation_guesses_repeated_keys(decoder):
    decoder.decode(records(100))
    stats = decoder.stats
    # after the first object every key is guessed from the map
    assert stats.speculation_hits >= 3 * 99
    assert stats.keys_scanned <= 3 + 1


def test_speculation_miss_falls_back_to_scanning(decoder):
    decoder.decode('[{"a": 1, "b": 2}, {"a": 1, "c": 2}]')
    assert decoder.stats.speculation_hits < decoder.stats.speculations
    w_array = decoder.decode('[{"a": 1, "c": 2}]')
    assert w_array.items_w[0].getitem('c').value == 2


def test_speculation_does_not_match_a_longer_key_with_same_prefix(decoder):
    w_array = decoder.decode('[{"ab": 1}, {"ab": 2}, {"abc": 3}, {"a": 4}]')
    assert [obj.key_at(0).utf8 for obj in w_array.items_w] == [
        'ab', 'ab', 'abc', 'a']


def test_escaped_key_speculation_matches_same_raw_text(decode):
    assert decode(r'[{"a\"b": 1}, {"a\"b": 2}, {"a\u0022b": 3}]') == [
        {u'a"b': 1}, {u'a"b': 2}, {u'a"b': 3}]


def test_maps_become_useful_after_repeated_instantiation(decoder):
    w_array = decoder.decode(records(maps.USEFUL_THRESHOLD))
    jsonmap = w_array.items_w[0].jsonmap
    assert jsonmap.state == STATE_USEFUL
    assert jsonmap.parent.state == STATE_USEFUL


def test_duplicate_keys_make_a_dict_where_the_last_value_wins(decoder):
    w_object = decoder.decode('{"a": 1, "b": 2, "a": 3}')
    assert not w_object.is_map_storage()
    assert [w_object.key_at(i).utf8 for i in range(2)] == ['a', 'b']
    assert w_object.getitem('a').value == 3
    assert decoder.stats.objects_as_dicts == 1


def test_objects_with_too_many_keys_are_dicts(decoder):
    keys = ['k%d' % i for i in range(maps.MAX_MAP_KEYS + 5)]
    w_object = decoder.decode(json.dumps(dict((k, 1) for k in keys)))
    assert not w_object.is_map_storage()
    assert w_object.length() == len(keys)


def test_unique_key_sets_do_not_grow_the_tree_without_bound(decoder):
    # every object has its own key: the adversarial case for maps
    document = json.dumps([{'key%d' % i: i} for i in range(5000)])
    w_array = decoder.decode(document)
    tree = decoder.tree
    assert tree.map_count <= maps.MAX_MAPS
    assert tree.prunes >= 1
    assert tree.root.closed
    assert len(tree.root.child_list()) < maps.MAX_PRELIMINARY
    # and the values are all still there
    assert w_array.items_w[4999].getitem('key4999').value == 4999


def test_varying_keys_under_a_common_prefix_close_that_map(decoder):
    document = json.dumps([
        {'a_business': i, 'z_attr%d' % i: True} for i in range(5000)],
        sort_keys=True)
    decoder.decode(document)
    tree = decoder.tree
    business = tree.root.existing_child('a_business')
    assert business.state == STATE_USEFUL
    assert business.closed
    assert tree.map_count <= maps.MAX_MAPS
    assert tree.maps_blocked > 0


def tree_counts(tree):
    """(maps, preliminary maps) found by walking the tree, and whether every
    map's preliminary_children is the number of its preliminary children."""
    maps_found = preliminary = 0
    counters_right = True
    pending = [tree.root]
    while pending:
        node = pending.pop()
        maps_found += 1
        children = node.child_list()
        if node.state == maps.STATE_PRELIMINARY:
            preliminary += 1
        if node.preliminary_children != len(
                [c for c in children if c.state == maps.STATE_PRELIMINARY]):
            counters_right = False
        pending.extend(children)
    return maps_found, preliminary, counters_right


def test_a_map_with_many_varied_children_is_pruned_alone(decoder):
    tree = decoder.tree
    # a shape seen once, elsewhere in the tree: still learning
    decoder.decode('{"other": 1, "more": 2}')
    other = tree.root.existing_child('other')
    document = json.dumps([{'id': i, 'k%d' % i: i} for i in range(400)],
                          sort_keys=True)
    w_array = decoder.decode(document)
    id_map = tree.root.existing_child('id')
    assert id_map.closed
    assert tree.maps_created < maps.MAX_PRELIMINARY_CHILDREN + 10
    assert other.state == maps.STATE_PRELIMINARY
    assert other.existing_child('more').state == maps.STATE_PRELIMINARY
    assert tree_counts(tree) == (tree.map_count, tree.preliminary_count, True)
    last = w_array.items_w[-1]
    assert last.getitem('k399').value == 399
    assert last.getitem('id').value == 399


def test_pruning_children_keeps_the_prefixes_many_objects_passed(decoder):
    tree = decoder.tree
    # 'j_common' is the first key after 'id' of every other object: a
    # prefix of key sets that vary after it, as the rest do at once
    objects = []
    for i in range(300):
        if i % 2:
            objects.append({'id': i, 'j_common': i, 'z%d' % i: i})
        else:
            objects.append({'id': i, 'k%d' % i: i})
    decoder.decode(json.dumps(objects, sort_keys=True))
    id_map = tree.root.existing_child('id')
    assert id_map.closed
    assert id_map.existing_child('j_common').state == STATE_USEFUL
    assert tree_counts(tree) == (tree.map_count, tree.preliminary_count, True)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(['a', 'b', 'c', 'd', 'e'] + [
    'k%d' % i for i in range(20)]), max_size=6, unique=True), max_size=60))
def test_tree_counts_stay_exact_through_both_prunes(key_lists):
    # small limits, so that short documents reach them
    saved = maps.MAX_PRELIMINARY_CHILDREN, maps.MAX_PRELIMINARY
    maps.MAX_PRELIMINARY_CHILDREN, maps.MAX_PRELIMINARY = 5, 20
    try:
        decoder = make_decoder()
        document = [dict((key, 1) for key in keys) for keys in key_lists]
        w_array = decoder.decode(json.dumps(document, sort_keys=True))
    finally:
        maps.MAX_PRELIMINARY_CHILDREN, maps.MAX_PRELIMINARY = saved
    tree = decoder.tree
    assert tree_counts(tree) == (tree.map_count, tree.preliminary_count, True)
    assert to_python(w_array) == document


def test_blocked_maps_lead_to_dicts_with_all_keys(decoder):
    document = json.dumps([{'x%d' % i: i, 'y': i} for i in range(5000)])
    w_array = decoder.decode(document)
    last = w_array.items_w[-1]
    assert last.getitem('x4999').value == 4999
    assert last.getitem('y').value == 4999
    assert decoder.stats.objects_as_dicts > 0


def test_blocked_map_refuses_new_transitions(decoder):
    tree = decoder.tree
    decoder.decode('{"only_once": {"inner": 1}}')
    child = tree.root.existing_child('only_once')
    tree.prune()
    assert child.state == STATE_BLOCKED
    w_object = decoder.decode('{"only_once": 2}')
    assert not w_object.is_map_storage()


def test_host_built_maps_are_found_and_speculated_by_the_decoder(decoder):
    tree = decoder.tree
    name = tree.host_transition(tree.root, 'name', 'host-name')
    score = tree.host_transition(name, 'score', 'host-score')
    assert tree.host_transition(tree.root, 'name', 'other') is name
    assert [key.utf8 for key in score.keys()] == ['name', 'score']
    assert score.keys()[0].w_value == 'host-name'
    w_array = decoder.decode('[{"name": 1, "score": 2}, {"name": 3, "score": 4}]')
    assert w_array.items_w[0].jsonmap is score
    assert decoder.stats.speculation_hits >= 2


def test_host_transitions_refuse_what_json_would_write_differently(decoder):
    tree = decoder.tree
    for key in ['a"b', 'a\\b', 'tab\there', '\xc3\xa9', '\x7f']:
        assert tree.host_transition(tree.root, key, key) is None
    current = tree.root
    for i in range(maps.MAX_HOST_MAP_KEYS):
        current = tree.host_transition(current, 'k%d' % i, None)
        assert current is not None
    assert tree.host_transition(current, 'one-more', None) is None
    # a key the path already has would be a duplicate
    assert tree.host_transition(current.parent, 'k0', None) is None


def test_host_transitions_make_their_maps_useful(decoder):
    tree = decoder.tree
    for _ in range(maps.USEFUL_THRESHOLD):
        child = tree.host_transition(tree.root, 'shape', None)
    assert child.state == STATE_USEFUL
    tree.prune()
    assert tree.host_transition(tree.root, 'shape', None) is child


def nested_records(count):
    """Records whose nested objects start with the same key but differ
    after it, so the shared map "id" can guess only one of them right."""
    return json.dumps([
        {"id": i, "actor": {"id": i, "login": "u%d" % i},
         "repo": {"id": i, "name": "r%d" % i}}
        for i in range(count)])


def test_nested_objects_are_guessed_from_the_last_object_in_their_field(
        decoder):
    decoder.decode(nested_records(50))
    stats = decoder.stats
    # "actor" and "repo" objects both continue the map of "id"; once their
    # final maps are USEFUL, each field's hint guesses its own second key
    misses = stats.speculations - stats.speculation_hits
    assert misses <= 2 * maps.USEFUL_THRESHOLD + 8
    assert stats.keys_scanned <= 2 * maps.USEFUL_THRESHOLD + 8


def test_array_elements_are_guessed_from_the_previous_element(decoder):
    # alternating shapes defeat likely_next ("a" has two children used
    # equally); each element of an array of one shape follows its sibling
    shapes = json.dumps([[{"a": 1, "b": 2}] * 20, [{"a": 1, "c": 2}] * 20])
    decoder.decode(shapes)
    decoder.stats.speculations = decoder.stats.speculation_hits = 0
    decoder.decode(shapes)
    assert decoder.stats.speculations == 80
    # only the first element of the second array has no sibling before it
    # (likely_next alone would miss all 20 of one array's second keys)
    assert decoder.stats.speculation_hits == 79


def test_object_leaving_its_hint_falls_back_and_decodes_its_own_keys(decoder):
    decoder.decode(nested_records(20))
    w_array = decoder.decode(
        '[{"id": 1, "actor": {"id": 2, "name": "x"}, '
        '"repo": {"id": 3, "login": "y", "extra": [1]}}]')
    w_record = w_array.items_w[0]
    assert [w_record.getitem('actor').key_at(i).utf8 for i in range(2)] == [
        'id', 'name']
    w_repo = w_record.getitem('repo')
    assert [w_repo.key_at(i).utf8 for i in range(3)] == ['id', 'login',
                                                        'extra']
    assert w_repo.getitem('login').utf8 == 'y'


def test_only_useful_maps_become_hints(decoder):
    w_array = decoder.decode('[{"x": {"p": 1, "q": 2}}]')
    field = w_array.items_w[0].jsonmap
    # one object ended at {"p", "q"}: still preliminary, may be pruned
    assert field.value_hint is None
    decoder.decode('[%s]' % ', '.join(['{"x": {"p": 1, "q": 2}}'] *
                                      maps.USEFUL_THRESHOLD))
    assert field.value_hint is not None
    assert [key.utf8 for key in field.value_hint.keys()] == ['p', 'q']
    assert field.value_hint.state == STATE_USEFUL
