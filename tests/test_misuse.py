"""Misuse of the package: refused with a message naming the argument, or handled right.

Where torch has an answer (it warns, defaults or refuses), lstm_ref is
compared with it; those comparisons skip without torch, the rest need numpy only.
"""

import re
import warnings

import numpy as np
import pytest

import lstm_ref
from lstm_ref.tape import SequenceTape


def x32(*shape):
    return np.random.default_rng(0).standard_normal(shape).astype(np.float32)


# -- options and defaults ---------------------------------------------------

def test_dtype_none_is_float32_like_torch():
    assert lstm_ref.LSTM(2, 3, dtype=None).dtype == np.float32
    assert lstm_ref.GRUCell(2, 3, dtype=None).weight_ih.dtype == np.float32
    torch = pytest.importorskip("torch")
    assert torch.nn.LSTM(2, 3, dtype=None).weight_ih_l0.dtype == torch.float32


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "RNN"])
def test_one_layer_dropout_warns_as_torch_does(kind):
    with pytest.warns(UserWarning, match=r"non-zero dropout expects num_layers greater than 1, "
                                         r"but got dropout=0.5 and num_layers=1") as ours:
        getattr(lstm_ref, kind)(2, 3, dropout=0.5)
    assert ours[0].filename == __file__              # points at the caller's line
    torch = pytest.importorskip("torch")
    with pytest.warns(UserWarning) as theirs:
        getattr(torch.nn, kind)(2, 3, dropout=0.5)
    assert str(theirs[0].message) == str(ours[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lstm_ref.LSTM(2, 3, num_layers=2, dropout=0.5)   # two layers: nothing to say


@pytest.mark.parametrize("proj_size, match", [
    (-1, r"proj_size: expected an integer >= 0, got -1"),
    (3, r"proj_size: expected 0 \(no projection\) or a size smaller than hidden_size = 3, got 3"),
    (4, r"proj_size: .* got 4"),
    (1.5, r"proj_size: expected an integer >= 0, got 1.5 \(float\)"),
])
def test_proj_size_in_counts_is_validated_as_torch_validates_it(proj_size, match):
    with pytest.raises(ValueError, match=match):
        lstm_ref.lstm_parameter_count(2, 3, proj_size=proj_size)
    with pytest.raises(ValueError, match=match):
        lstm_ref.LSTM(2, 3, proj_size=proj_size)
    torch = pytest.importorskip("torch")
    with pytest.raises((ValueError, TypeError)):
        torch.nn.LSTM(2, 3, proj_size=proj_size)


@pytest.mark.parametrize("call, match", [
    (lambda: lstm_ref.gru_parameter_count(2, 3, bias="yes"), r"bias: expected True or False"),
    (lambda: lstm_ref.lstm_parameter_count(2, 3, bidirectional=1),
     r"bidirectional: expected True or False, got 1"),
    (lambda: lstm_ref.lstm_parameter_count(2, 0), r"hidden_size: expected an integer >= 1, got 0"),
])
def test_counts_validate_every_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize("rng", ["seed", 1.5, True, object()])
def test_rng_must_be_a_generator_or_a_seed(rng):
    with pytest.raises(TypeError, match=r"rng: expected a numpy.random.Generator, an integer "
                                        r"seed or None"):
        lstm_ref.GRU(2, 3, rng=rng)
    gru = lstm_ref.GRU(2, 3, num_layers=2, dropout=0.5)
    with pytest.raises(TypeError, match=r"rng: expected"):
        gru.forward(x32(4, 1, 2), training=True, rng=rng)


# -- arguments of forward ----------------------------------------------------

@pytest.mark.parametrize("name", ["training", "return_cache"])
@pytest.mark.parametrize("value", [1, "yes", None, np.array([True])])
def test_flags_of_forward_are_bools_only(name, value):
    lstm = lstm_ref.LSTM(2, 3)
    with pytest.raises(ValueError, match=rf"{name}: expected True or False, got"):
        lstm.forward(x32(4, 1, 2), **{name: value})
    with pytest.raises(ValueError, match=r"return_cache: expected True or False"):
        lstm_ref.LSTMCell(2, 3).forward(x32(1, 2), return_cache=1)


@pytest.mark.parametrize("value, match", [
    ([[[0.0, None]]], r"input: expected an array of real numbers, got objects"),
    ([[[0.0, 1.0]], [[2.0]]], r"input: expected an array of numbers \(a rectangular nested list"),
    ([[[1j, 0.0]]], r"input: expected an array of real numbers, got complex numbers"),
    ([[[True, False]]], r"input: expected an array of real numbers, got booleans"),
    ("abc", r"input: expected an array of numbers, got str"),
])
def test_lists_that_are_not_real_numbers_are_refused(value, match):
    with pytest.raises((ValueError, TypeError), match=match):
        lstm_ref.LSTM(2, 3)(value)


def test_a_complex_or_boolean_array_is_refused_for_what_it_holds():
    with pytest.raises(ValueError, match=r"input: expected an array of real numbers, got "
                                         r"complex numbers"):
        lstm_ref.GRU(2, 3)(np.zeros((4, 1, 2), np.complex64))
    with pytest.raises(ValueError, match=r"hx: .*|h_0: expected an array of real numbers, "
                                         r"got booleans"):
        lstm_ref.GRU(2, 3)(np.zeros((4, 1, 2), np.float32), np.zeros((1, 1, 3), bool))


def test_a_tuple_hx_of_the_wrong_length():
    with pytest.raises(ValueError, match=r"hx: expected a pair \(h_0, c_0\), got tuple of length 3"):
        lstm_ref.LSTM(2, 3)(x32(4, 1, 2), (None, None, None))
    with pytest.raises(ValueError, match=r"hx: expected a pair \(h, c\), got ndarray"):
        lstm_ref.LSTMCell(2, 3)(x32(1, 2), np.zeros((1, 3), np.float32))


@pytest.mark.parametrize("layer, direction, match", [
    (2, 0, r"layer: expected an integer in \[0, 1\], got 2"),
    (0, 1, r"direction: expected an integer in \[0, 0\], got 1"),
    (-1, 0, r"layer: expected an integer in \[0, 1\], got -1"),
    (0, True, r"direction: expected an integer in \[0, 0\], got True"),
])
def test_direction_parameters_checks_its_indices(layer, direction, match):
    with pytest.raises(ValueError, match=match):
        lstm_ref.GRU(2, 3, num_layers=2).direction_parameters(layer, direction)


# -- the cache --------------------------------------------------------------

def test_a_cache_from_another_module_is_refused():
    a, b = lstm_ref.LSTM(2, 3), lstm_ref.LSTM(2, 3)
    output, _, cache = a.forward(x32(4, 1, 2), return_cache=True)
    with pytest.raises(ValueError, match=r"cache: expected a cache from this module's forward "
                                         r"pass, got one from another module, LSTM\("):
        b.backward(cache, np.ones_like(output))
    gru = lstm_ref.GRU(3, 5)
    with pytest.raises(ValueError, match=r"cache: .* another module, LSTM"):
        gru.backward(cache, np.ones((4, 1, 5)))


@pytest.mark.parametrize("cache", [{"layers": []}, None, (1, 2)])
def test_something_else_than_a_cache_is_refused(cache):
    with pytest.raises(TypeError, match=r"cache: expected the SequenceTape that "
                                        r"forward\(..., return_cache=True\) returned"):
        lstm_ref.GRU(2, 3).backward(cache, np.ones((4, 1, 3)))
    with pytest.raises(TypeError, match=r"cache: expected the StepTape"):
        lstm_ref.GRUCell(2, 3).backward(cache, np.ones(3))


def test_a_layer_cache_is_refused_by_a_cell():
    layer = lstm_ref.GRU(2, 3)
    _, _, cache = layer.forward(x32(4, 1, 2), return_cache=True)
    assert isinstance(cache, SequenceTape) and cache.module is layer
    with pytest.raises(TypeError, match=r"cache: expected the StepTape .* got SequenceTape"):
        lstm_ref.GRUCell(2, 3).backward(cache, np.ones(3))


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "RNN"])
def test_in_place_changes_after_forward_do_not_change_the_gradients(kind):
    """The cache keeps what it read: the gradients stay those of the computation that ran."""
    module = getattr(lstm_ref, kind)(2, 3, num_layers=2, bidirectional=True, dtype=np.float64,
                                     rng=0)
    rng = np.random.default_rng(1)
    x, h0 = rng.standard_normal((4, 2, 2)), rng.standard_normal((4, 2, 3))
    hx = (h0, rng.standard_normal((4, 2, 3))) if kind == "LSTM" else h0
    output, state, cache = module.forward(x, hx, return_cache=True)
    expected = module.backward(cache, np.ones_like(output))
    output, state, cache = module.forward(x, hx, return_cache=True)
    x += 1.0                                             # the input, in place
    h0 *= 2.0                                            # the initial state
    module.weight_hh_l0[:] = 0.0                         # a parameter
    output[:] = 0.0                                      # what forward returned
    for s in (state if kind == "LSTM" else (state,)):
        s[:] = 0.0
    actual = module.backward(cache, np.ones_like(output))
    for name, value in expected.items():
        np.testing.assert_array_equal(actual[name], value, err_msg=name)


def test_in_place_changes_after_a_cell_forward_do_not_change_the_gradients():
    cell = lstm_ref.LSTMCell(2, 3, dtype=np.float64, rng=0)
    x, h, c = np.ones(2), np.full(3, 0.5), np.full(3, -0.5)
    h1, c1, cache = cell.forward(x, (h, c), return_cache=True)
    expected = cell.backward(cache, np.ones(3), np.ones(3))
    x[:], h[:], c1[:], h1[:] = 7.0, 7.0, 7.0, 7.0
    cell.weight_hh[:] = 0.0
    actual = cell.backward(cache, np.ones(3), np.ones(3))
    for name, value in expected.items():
        np.testing.assert_array_equal(actual[name], value, err_msg=name)


# -- the gradients given to backward ----------------------------------------

@pytest.fixture
def lstm_cache():
    lstm = lstm_ref.LSTM(2, 3)
    output, _, cache = lstm.forward(x32(4, 2, 2), return_cache=True)
    return lstm, output, cache


@pytest.mark.parametrize("grad_output, match", [
    ([[[0.0] * 3] * 2] * 3 + [[[0.0] * 3]], r"grad_output: expected an array of numbers"),
    (np.zeros((4, 2, 3), np.complex128), r"grad_output: expected an array of real numbers, "
                                         r"got complex numbers"),
    ([[[None] * 3] * 2] * 4, r"grad_output: expected an array of real numbers, got objects"),
    (np.zeros((4, 3)), r"grad_output: expected shape \(4, 2, 3\)"),
])
def test_bad_grad_output(lstm_cache, grad_output, match):
    lstm, _, cache = lstm_cache
    with warnings.catch_warnings():
        warnings.simplefilter("error")                  # no ComplexWarning on the way
        with pytest.raises(ValueError, match=match):
            lstm.backward(cache, grad_output)


@pytest.mark.parametrize("grad_state, match", [
    (np.zeros((1, 2, 3)), r"grad_state: expected a pair \(grad_h_n, grad_c_n\), got ndarray"),
    ((None,), r"grad_state: expected a pair \(grad_h_n, grad_c_n\), got tuple of length 1"),
    ((None, np.zeros((1, 2, 4))), r"grad_c_n: expected shape \(1, 2, 3\)"),
    ((np.zeros((1, 2, 3), complex), None), r"grad_h_n: expected an array of real numbers"),
])
def test_bad_grad_state(lstm_cache, grad_state, match):
    lstm, output, cache = lstm_cache
    with pytest.raises(ValueError, match=match):
        lstm.backward(cache, np.zeros_like(output), grad_state)


def test_a_cells_gradients_by_position_or_name():
    cell = lstm_ref.LSTMCell(2, 3, dtype=np.float64, rng=0)
    _, _, cache = cell.forward(np.ones(2), return_cache=True)
    by_position = cell.backward(cache, np.ones(3), np.full(3, 2.0))
    by_name = cell.backward(cache, grad_c=np.full(3, 2.0), grad_h=np.ones(3))
    for name, value in by_position.items():
        np.testing.assert_array_equal(by_name[name], value)
    with pytest.raises(TypeError, match=r"grad_x: unexpected; the gradients are grad_h, grad_c"):
        cell.backward(cache, grad_x=np.ones(3))
    with pytest.raises(TypeError, match=r"grad_h: given twice"):
        cell.backward(cache, np.ones(3), grad_h=np.ones(3))
    with pytest.raises(TypeError, match=r"expected at most 2 gradients"):
        cell.backward(cache, np.ones(3), np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match=r"grad_c: expected shape \(3,\)"):
        cell.backward(cache, np.ones(3), np.ones(4))


# -- parameters ---------------------------------------------------------------

def test_an_assigned_parameter_is_used():
    gru = lstm_ref.GRU(2, 3, rng=0)
    x = x32(4, 1, 2)
    before, _ = gru(x)
    gru.weight_ih_l0 = np.zeros((9, 2), np.float32)
    assert not gru.weight_ih_l0.any()
    after, _ = gru(x)
    assert not np.array_equal(before, after)
    again = lstm_ref.GRU(2, 3)
    again.load_state_dict(gru.state_dict())
    np.testing.assert_array_equal(again(x)[0], after)


@pytest.mark.parametrize("value, error, match", [
    (np.zeros((9, 3), np.float32), ValueError,
     r"weight_ih_l0: expected shape \(9, 2\) = the parameter's shape, got \(9, 3\)"),
    (np.zeros((9, 2)), ValueError, r"weight_ih_l0: expected dtype float32 .* got float64"),
    ([[None, 1.0]] * 9, ValueError, r"weight_ih_l0: expected an array of real numbers"),
    ("zeros", TypeError, r"weight_ih_l0: expected an array of numbers, got str"),
])
def test_a_parameter_of_the_wrong_shape_or_dtype_is_refused(value, error, match):
    gru = lstm_ref.GRU(2, 3)
    kept = gru.weight_ih_l0
    with pytest.raises(error, match=match):
        gru.weight_ih_l0 = value
    assert gru.weight_ih_l0 is kept


def test_torch_also_checks_what_is_assigned_to_a_parameter():
    torch = pytest.importorskip("torch")
    module = torch.nn.GRU(2, 3)
    with pytest.raises(TypeError):
        module.weight_ih_l0 = torch.zeros(9, 2)          # a plain tensor is not a Parameter


@pytest.mark.parametrize("name", ["hidden_size", "num_layers", "proj_size", "bidirectional",
                                  "dtype"])
def test_options_are_read_only(name):
    lstm = lstm_ref.LSTM(2, 3)
    with pytest.raises(AttributeError, match=rf"{name}: the options of LSTM are fixed at "
                                             r"construction"):
        setattr(lstm, name, 2)


@pytest.mark.parametrize("state_dict, error, match", [
    ([("weight_ih", 0)], TypeError, r"state_dict: expected a mapping of parameter names"),
    (None, TypeError, r"state_dict: expected a mapping"),
])
def test_load_state_dict_needs_a_mapping(state_dict, error, match):
    with pytest.raises(error, match=match):
        lstm_ref.GRUCell(2, 3).load_state_dict(state_dict)


def test_load_state_dict_refuses_complex_values():
    cell = lstm_ref.GRUCell(2, 3)
    state = {name: value.astype(np.complex64) for name, value in cell.state_dict().items()}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"weight_ih: expected an array of real numbers, "
                                             r"got complex numbers"):
            cell.load_state_dict(state)


# -- functions ----------------------------------------------------------------

@pytest.mark.parametrize("call, error, match", [
    (lambda: lstm_ref.numerical_gradient(0.0, np.zeros(2)), TypeError,
     r"loss: expected a callable that returns a float, got float"),
    (lambda: lstm_ref.numerical_gradient(lambda: 0.0, np.zeros(2), eps=0), ValueError,
     r"eps: expected a finite number > 0, got 0"),
    (lambda: lstm_ref.affine(np.zeros((2, 3)), np.zeros((4, 2))), ValueError,
     r"weight: expected shape \(out, 3\) to match x's last axis, got \(4, 2\)"),
    (lambda: lstm_ref.affine(np.zeros((2, 3)), np.zeros((4, 3)), np.zeros(3)), ValueError,
     r"bias: expected shape \(4,\), one per row of weight, got \(3,\)"),
    (lambda: lstm_ref.affine([[1.0, None]], np.zeros((4, 2))), ValueError,
     r"x: expected an array of real numbers"),
    (lambda: lstm_ref.sigmoid([1.0, None]), ValueError, r"z: expected an array of real numbers"),
    (lambda: lstm_ref.tanh("1"), TypeError, r"z: expected an array of numbers, got str"),
])
def test_functions_validate_their_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()


# -- step functions: the shapes must fit weight_hh ----------------------------

H, N = 3, 2
STEPS = {   # name: (gates, the states after h_prev, per-unit weights)
    "lstm_step": (4, ("c_prev",), ()),
    "gru_step": (3, (), ()),
    "rnn_step": (1, (), ()),
    "coupled_gate_lstm_step": (3, ("c_prev",), ()),
    "peephole_lstm_step": (4, ("c_prev",), ("weight_ci", "weight_cf", "weight_co")),
    "reset_before_gru_step": (3, (), ()),
}


def step_arguments(function):
    gates, states, per_unit = STEPS[function]
    arguments = {"x_proj": np.zeros((N, gates * H)), "h_prev": np.zeros((N, H)),
                 "weight_hh": np.zeros((gates * H, H)), "bias_hh": np.zeros(gates * H)}
    arguments.update({name: np.zeros((N, H)) for name in states})
    arguments.update({name: np.zeros(H) for name in per_unit})
    return arguments


@pytest.mark.parametrize("function", STEPS)
def test_a_step_function_accepts_fitting_shapes_batched_or_not(function):
    step = getattr(lstm_ref, function)
    assert step(**step_arguments(function)).h.shape == (N, H)
    unbatched = {name: value[0] if value.ndim == 2 and name not in ("weight_hh",) else value
                 for name, value in step_arguments(function).items()}
    assert step(**unbatched).h.shape == (H,)


@pytest.mark.parametrize("function, name", [(function, name) for function in STEPS
                                             for name in step_arguments(function)
                                             if name != "weight_hh"])
def test_a_step_function_names_the_array_that_does_not_fit(function, name):
    arguments = step_arguments(function)
    value = arguments[name]
    arguments[name] = np.zeros(value.shape[:-1] + (value.shape[-1] + 1,))
    with pytest.raises(ValueError, match=rf"^{function}: {name}: expected shape "
                                         rf"{re.escape(str(value.shape))} = "
                                         rf"hidden_size = {H} and H_out = {H} from weight_hh, "
                                         rf"got {re.escape(str(arguments[name].shape))}$"):
        getattr(lstm_ref, function)(**arguments)


@pytest.mark.parametrize("function", STEPS)
def test_a_step_function_refuses_a_weight_hh_that_is_not_gates_blocks(function):
    arguments = step_arguments(function)
    gates = STEPS[function][0]
    arguments["weight_hh"] = np.zeros((gates * H + 1, H)) if gates > 1 else np.zeros(H)
    with pytest.raises(ValueError, match=rf"^{function}: weight_hh: expected shape "
                                         rf"\({gates} \* hidden_size, H_out\), got"):
        getattr(lstm_ref, function)(**arguments)


@pytest.mark.parametrize("function", STEPS)
def test_a_step_function_takes_arrays_not_lists(function):
    arguments = step_arguments(function)
    arguments["h_prev"] = arguments["h_prev"].tolist()
    with pytest.raises(TypeError, match=rf"^{function}: h_prev: expected a numpy.ndarray, got list$"):
        getattr(lstm_ref, function)(**arguments)


def test_lstm_step_checks_the_projection_against_weight_hh():
    P = 2
    arguments = step_arguments("lstm_step")
    arguments.update(h_prev=np.zeros((N, P)), weight_hh=np.zeros((4 * H, P)))
    assert lstm_ref.lstm_step(**arguments, weight_hr=np.zeros((P, H))).h.shape == (N, P)
    with pytest.raises(ValueError, match=r"^lstm_step: weight_hr: expected shape \(2, 3\) = "
                                         r"hidden_size = 3 and H_out = 2 from weight_hh, got \(3, 2\)$"):
        lstm_ref.lstm_step(**arguments, weight_hr=np.zeros((H, P)))
