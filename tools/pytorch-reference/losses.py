"""Reference values and gradients of knowledge-distillation loss terms, computed by real PyTorch.

Each term is written here from its paper's formula and the authors' reference code, on one set of seeded
float64 inputs, and its value (a scalar) and the gradient of that value with respect to each student input it
uses (torch.autograd.grad) go to losses/<term>.json beside this script. The C# tests compare their own
implementations with these files (relative tolerance 1e-5).

Inputs (torch.manual_seed(0) once, float64, drawn in this order; every term sees the same tensors):
student_logits randn(8, 5) * 2, teacher_logits randn(8, 5) * 3, labels randint(0, 5, (8,)),
student_map randn(8, 3, 4, 4), teacher_map randn(8, 6, 4, 4), student_embedding randn(8, 7),
teacher_embedding randn(8, 12). Student tensors require grad; teacher tensors and labels do not.

Terms, and the readings taken where a paper leaves room (N = batch size; "mean" = over all elements):

- kd (Hinton et al. 2015), T = 4, alpha = 0.9: alpha * T^2 * KL(softmax(t/T) || softmax(s/T)), the KL summed
  over classes and averaged over the batch ("batchmean"). The student's hard-label cross-entropy is not part of
  the term.
- dkd (Zhao et al. 2022, as mdistiller's DKD), T = 4, alpha = 1, beta = 8: with g the target class,
  b = [p_g, 1 - p_g] from softmax(z/T); TCKD = T^2 * batch mean of KL(b_t || b_s); NCKD = T^2 * batch mean of
  KL(p_hat_t || p_hat_s), p_hat the softmax over the non-target logits alone. Reading: the non-target softmax is
  exact (the target entry is removed before the softmax and the KL sum), where mdistiller subtracts 1000 from the
  target's z/T; for logits like these the offset changes nothing in float64 (e^-1000 is far below the last bit;
  checked: same value and gradients to 4e-14), but it is an approximation a port need not copy. log(1 - p_g)
  is taken as the log-sum-exp of the non-target log-probabilities (the same number as mdistiller's log of the
  summed probabilities, without the cancellation). mdistiller's warm-up factor min(epoch / 20, 1) is left out
  (it is 1 after the warm-up). Parts: tckd and nckd with T^2, without alpha and beta. The script asserts the
  paper's eq. 4 per example (before the batch mean and T^2): KL(p_t || p_s) = TCKD + (1 - p_t,g) * NCKD, at
  T = 1 and T = 4 (relative tolerance 1e-12).
- dist (Huang et al. 2022), tau = 4, beta = 1, gamma = 2: y = softmax(z/tau); pearson = cosine similarity of
  mean-centred rows, (a*b).sum(1) / (|a| |b| + 1e-8); inter = 1 - mean_i pearson(y_s[i], y_t[i]),
  intra = 1 - mean_c pearson(y_s[:, c], y_t[:, c]). Reading: the tau^2 factor is not in the paper's equations,
  it is in the reference code (DIST_KD, losses/dist_kd.py), which multiplies both relations by tau^2; value =
  tau^2 * (beta * inter + gamma * intra). Parts: inter and intra without tau^2.
- attention (Zagoruyko & Komodakis 2017), weight = 1000: attention(x) = F.normalize over the H*W positions of
  the mean over channels of x^2. Readings, from the reference code (attention-transfer, utils.at/at_loss): the
  mean over channels rather than the paper's sum (the normalization removes the difference, as it also lets
  maps with different channel counts be compared), p = 2, and the loss is the mean over N*H*W of the squared
  difference (not the paper's per-example p-norm), times weight / 2 (the code's beta / 2 with beta = 1e3). One
  map pair, so no sum over layers. eps 1e-12 as F.normalize.
- rkd (Park et al. 2019), distance weight 25, angle weight 50: pdist(e) = sqrt(clamp(|e_i|^2 + |e_j|^2 -
  2 e_i.e_j, min 1e-12)) with the diagonal then set to 0 (by assignment, so no gradient flows through it);
  distances divided by the mean of their positive entries (the teacher's under no_grad, the student's with its
  gradient, as the reference code does); angles[j, i, k] = <normalize(e_i - e_j), normalize(e_k - e_j)>
  (F.normalize, eps 1e-12, so e_j - e_j stays the zero vector and its angles are 0 on both sides).
  Readings, from the reference code (lenscloth/RKD, metric/loss.py): smooth L1 (Huber, beta 1) averaged over
  all N*N distance entries and all N^3 angle entries, the diagonal and degenerate (zero-vector) entries
  included, though they are 0 on both sides. (F.normalize's derivative at the zero vector is 1/eps, but the
  gradient arriving there is exactly 0, the smooth L1 of 0 - 0, so the gradients stay finite; a port must keep
  that zero, e.g. not add a small eps to the differences.) Parts: distance and angle, unweighted.
- similarity (Tung & Mori 2019), weight = 3000: G = Q Q^T with Q the [N, C*H*W] flattened maps, each row of G
  L2-normalized (F.normalize dim 1); value = weight * mean((G_s - G_t)^2) = weight / N^2 * ||G_s - G_t||_F^2
  (RepDistiller's Similarity with its -b 3000). On the maps only (student_map, teacher_map).
- pkt (Passalis & Tefas 2018, as RepDistiller's PKT), weight = 1: features L2-normalized per example,
  K = (x x^T + 1) / 2, rows of K divided by their sums, value = mean(K_t * log((K_t + 1e-7) / (K_s + 1e-7)))
  over the N*N entries. Reading: the normalization is F.normalize (x / max(|x|, 1e-12)), where RepDistiller
  divides by |x| + 1e-7; for these embeddings the two give values 2e-7 apart relatively (gradients 4e-7),
  inside the tests' 1e-5 tolerance.
- nst (Huang & Wang 2017, as RepDistiller's NSTLoss), weight = 50: each channel's map over the H*W positions,
  L2-normalized, is one sample of the layer's "neuron selectivity" distribution; the squared MMD between the
  teacher's and the student's channels with the polynomial kernel k(x, y) = (x . y)^2 (the paper's d = 2, c = 0):
  mean k(t, t) + mean k(s, s) - 2 mean k(s, t), each mean over the batch and the channel pairs; value =
  weight * MMD^2 (RepDistiller's -b 50; the paper writes lambda / 2). Readings: the means over channel pairs
  are the paper's 1/C^2 and 1/(C_S C_T) sums; teacher and student maps have the same H*W (RepDistiller pools
  the larger to the smaller; here the generator requires equal sizes, as for attention transfer).

Each value is asserted finite and each gradient finite and non-zero somewhere. One thread, so the reductions
are summed in one order; two runs write byte-identical files.

Run with Debian's PyTorch:  apt-get install python3-torch  &&  /usr/bin/python3 tools/pytorch-reference/losses.py
"""
import json
import math
import os

import torch
from torch.nn import functional as F

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "losses")


def make_inputs():
    torch.manual_seed(0)
    f64 = torch.float64
    return {
        "student_logits": (torch.randn(8, 5, dtype=f64) * 2).requires_grad_(),
        "teacher_logits": torch.randn(8, 5, dtype=f64) * 3,
        "labels": torch.randint(0, 5, (8,)),
        "student_map": torch.randn(8, 3, 4, 4, dtype=f64).requires_grad_(),
        "teacher_map": torch.randn(8, 6, 4, 4, dtype=f64),
        "student_embedding": torch.randn(8, 7, dtype=f64).requires_grad_(),
        "teacher_embedding": torch.randn(8, 12, dtype=f64),
    }


def kl_rows(log_p, log_q):
    """KL(p || q) of each row, from log-probabilities; entries where p is 0 must already be removed."""
    return (log_p.exp() * (log_p - log_q)).sum(1)


def kd(s, t, temperature=4, alpha=0.9):
    per_example = kl_rows(F.log_softmax(t / temperature, 1), F.log_softmax(s / temperature, 1))
    return alpha * temperature ** 2 * per_example.mean(), {}


def dkd_per_example(s, t, labels, temperature):
    """TCKD and NCKD of each example, before the batch mean and the T^2 factor; and the teacher's p_g."""
    target = F.one_hot(labels, s.shape[1]).bool()
    n, c = s.shape

    def binary(z):
        log_p = F.log_softmax(z / temperature, 1)
        log_target = log_p[target]
        log_rest = torch.logsumexp(log_p[~target].view(n, c - 1), 1)
        return torch.stack([log_target, log_rest], 1)

    def non_target(z):
        return F.log_softmax((z / temperature)[~target].view(n, c - 1), 1)

    tckd = kl_rows(binary(t), binary(s))
    nckd = kl_rows(non_target(t), non_target(s))
    teacher_target = F.softmax(t / temperature, 1)[target]
    return tckd, nckd, teacher_target


def dkd(s, t, labels, temperature=4, alpha=1, beta=8):
    tckd, nckd, _ = dkd_per_example(s, t, labels, temperature)
    tckd = temperature ** 2 * tckd.mean()
    nckd = temperature ** 2 * nckd.mean()
    return alpha * tckd + beta * nckd, {"tckd": tckd, "nckd": nckd}


def check_dkd_identity(s, t, labels):
    """Zhao et al. eq. 4: KD = TCKD + (1 - p_t,g) NCKD, per example, at alpha = beta = 1."""
    with torch.no_grad():
        for temperature in (1, 4):
            tckd, nckd, teacher_target = dkd_per_example(s, t, labels, temperature)
            kl = kl_rows(F.log_softmax(t / temperature, 1), F.log_softmax(s / temperature, 1))
            decoupled = tckd + (1 - teacher_target) * nckd
            assert torch.allclose(kl, decoupled, rtol=1e-12, atol=0), (temperature, kl, decoupled)


def pearson_rows(a, b, eps=1e-8):
    a = a - a.mean(1, keepdim=True)
    b = b - b.mean(1, keepdim=True)
    return (a * b).sum(1) / (a.norm(dim=1) * b.norm(dim=1) + eps)


def dist(s, t, temperature=4, beta=1, gamma=2):
    y_s, y_t = F.softmax(s / temperature, 1), F.softmax(t / temperature, 1)
    inter = 1 - pearson_rows(y_s, y_t).mean()
    intra = 1 - pearson_rows(y_s.t(), y_t.t()).mean()
    return temperature ** 2 * (beta * inter + gamma * intra), {"inter": inter, "intra": intra}


def attention_map(x):
    return F.normalize(x.pow(2).mean(1).view(x.shape[0], -1), p=2, dim=1, eps=1e-12)


def attention(s, t, weight=1000):
    return weight / 2 * (attention_map(s) - attention_map(t)).pow(2).mean(), {}


def pdist(e, eps=1e-12):
    square = e.pow(2).sum(1)
    d = (square.unsqueeze(1) + square.unsqueeze(0) - 2 * e @ e.t()).clamp(min=eps).sqrt().clone()
    d[range(len(e)), range(len(e))] = 0
    return d


def relative_distances(e):
    d = pdist(e)
    return d / d[d > 0].mean()


def angles(e):
    differences = e.unsqueeze(0) - e.unsqueeze(1)  # [j, i] = e_i - e_j
    unit = F.normalize(differences, p=2, dim=2, eps=1e-12)
    return torch.bmm(unit, unit.transpose(1, 2)).view(-1)  # [j, i, k] = <unit e_i - e_j, unit e_k - e_j>


def rkd(s, t, distance_weight=25, angle_weight=50):
    with torch.no_grad():
        t_distances, t_angles = relative_distances(t), angles(t)
    distance = F.smooth_l1_loss(relative_distances(s), t_distances, reduction="mean", beta=1.0)
    angle = F.smooth_l1_loss(angles(s), t_angles, reduction="mean", beta=1.0)
    return distance_weight * distance + angle_weight * angle, {"distance": distance, "angle": angle}


def normalized_gram(x):
    q = x.reshape(x.shape[0], -1)
    return F.normalize(q @ q.t(), p=2, dim=1, eps=1e-12)


def similarity(s, t, weight=3000):
    return weight * (normalized_gram(s) - normalized_gram(t)).pow(2).mean(), {}


def conditional_probabilities(x):
    x = F.normalize(x.reshape(x.shape[0], -1), p=2, dim=1, eps=1e-12)
    k = (x @ x.t() + 1) / 2
    return k / k.sum(1, keepdim=True)


def pkt(s, t, weight=1, eps=1e-7):
    k_s, k_t = conditional_probabilities(s), conditional_probabilities(t)
    return weight * (k_t * torch.log((k_t + eps) / (k_s + eps))).mean(), {}


def selectivities(x):
    return F.normalize(x.reshape(x.shape[0], x.shape[1], -1), p=2, dim=2, eps=1e-12)


def polynomial_kernel(a, b):
    # [n, i, j] = (a_i . b_j)^2 over the positions: the paper's d = 2, c = 0.
    return torch.bmm(a, b.transpose(1, 2)).pow(2)


def nst(s, t, weight=50):
    f_s, f_t = selectivities(s), selectivities(t)
    with torch.no_grad():
        teacher_part = polynomial_kernel(f_t, f_t).mean()
    mmd = teacher_part + polynomial_kernel(f_s, f_s).mean() - 2 * polynomial_kernel(f_s, f_t).mean()
    return weight * mmd, {}


TERMS = [
    ("kd", kd, ["student_logits", "teacher_logits"], {"temperature": 4, "alpha": 0.9},
     "Hinton, Vinyals, Dean (2015). Distilling the Knowledge in a Neural Network. arXiv:1503.02531"),
    ("dkd", dkd, ["student_logits", "teacher_logits", "labels"], {"temperature": 4, "alpha": 1, "beta": 8},
     "Zhao, Cui, Song, Qiu, Liang (2022). Decoupled Knowledge Distillation. CVPR 2022; arXiv:2203.08679"),
    ("dist", dist, ["student_logits", "teacher_logits"], {"temperature": 4, "beta": 1, "gamma": 2, "eps": 1e-8},
     "Huang, You, Wang, Qian, Xu (2022). Knowledge Distillation from A Stronger Teacher. NeurIPS 2022; "
     "arXiv:2205.10536"),
    ("attention", attention, ["student_map", "teacher_map"], {"weight": 1000, "eps": 1e-12},
     "Zagoruyko, Komodakis (2017). Paying More Attention to Attention: Improving the Performance of Convolutional "
     "Neural Networks via Attention Transfer. ICLR 2017; arXiv:1612.03928"),
    ("rkd", rkd, ["student_embedding", "teacher_embedding"],
     {"distanceWeight": 25, "angleWeight": 50, "eps": 1e-12, "smoothL1Beta": 1},
     "Park, Kim, Lu, Cho (2019). Relational Knowledge Distillation. CVPR 2019; arXiv:1904.05068"),
    ("similarity", similarity, ["student_map", "teacher_map"], {"weight": 3000, "eps": 1e-12},
     "Tung, Mori (2019). Similarity-Preserving Knowledge Distillation. ICCV 2019; arXiv:1907.09682"),
    ("pkt", pkt, ["student_embedding", "teacher_embedding"], {"weight": 1, "eps": 1e-7},
     "Passalis, Tefas (2018). Learning Deep Representations with Probabilistic Knowledge Transfer. ECCV 2018; "
     "arXiv:1803.10837"),
    ("nst", nst, ["student_map", "teacher_map"], {"weight": 50, "eps": 1e-12},
     "Huang, Wang (2017). Like What You Like: Knowledge Distill via Neuron Selectivity Transfer. arXiv:1707.01219"),
]


def evaluate(function, inputs, names):
    tensors = [inputs[name] for name in names]
    value, parts = function(*tensors)
    students = [name for name in names if inputs[name].requires_grad]
    grads = torch.autograd.grad(value, [inputs[name] for name in students])
    assert math.isfinite(value.item()), value
    for name, grad in zip(students, grads):
        assert torch.isfinite(grad).all() and (grad != 0).any(), (name, grad)
    for part in parts.values():
        assert math.isfinite(part.item()), part
    return value.item(), {k: v.item() for k, v in parts.items()}, {n: g.tolist() for n, g in zip(students, grads)}


def main():
    torch.set_num_threads(1)
    inputs = make_inputs()
    check_dkd_identity(inputs["student_logits"], inputs["teacher_logits"], inputs["labels"])
    os.makedirs(HERE, exist_ok=True)
    for term, function, names, constants, paper in TERMS:
        value, parts, grads = evaluate(function, inputs, names)
        fixture = {"term": term, "paper": paper, "torch": torch.__version__, "constants": constants,
                   "inputs": {name: inputs[name].tolist() for name in names}, "value": value}
        if parts:
            fixture["parts"] = parts
        fixture["grad"] = grads
        with open(os.path.join(HERE, term + ".json"), "w") as f:
            json.dump(fixture, f, indent=1)
            f.write("\n")
        print(term, repr(value), " ".join("%s=%r" % item for item in parts.items()))


if __name__ == "__main__":
    main()
