"""skybook's VAE payload: a variational autoencoder trained on the quasar ML matrix, exported to ONNX for
`skybook quasar anomalies --method onnx`.

    python train_vae.py --matrix MATRIX.parquet --out DIR [--epochs 20] [--batch 256] [--hidden 512,256] [--latent 16]
                        [--lr 1e-3] [--beta 1e-3] [--seed 1] [--threads 1] [--device cpu|cuda] [--ray-workers N]

MATRIX.parquet is what `skybook quasar features --matrix` writes: FLUX, IVAR (float32) and MASK (uint8) fixed-size
lists of the rest-frame grid, one row per spectrum. The model is an MLP VAE: the flux with masked pixels set to 0 ->
hidden layers (SiLU) -> latent mean and log-variance -> hidden layers -> the reconstruction. The loss is the masked
reconstruction error, each good pixel weighted by its inverse variance over the row's median (so every spectrum weighs
alike and noisy or masked pixels do not steer the fit), plus beta times the KL term. The ONNX graph takes "flux"
[batch, npix] and gives "reconstruction" [batch, npix] and "latent" [batch, latent] (the encoder's mean, no sampling),
the contract skybook's OnnxScorer reads.

Plain torch when run alone; with --ray-workers N (submitted to a Ray cluster as a job), Ray Train's TorchTrainer runs N
workers with DistributedDataParallel and worker 0 exports. Deterministic on the CPU for a given seed, torch version and
--threads (default 1: float sums in matrix products depend on the thread count): same losses, same ONNX bytes.

Writes DIR/vae.onnx, DIR/metrics.json (rows, npix, per-epoch loss and seconds, the read time and the first epoch from
Parquet) and DIR/torch-reconstruction.f32 (torch's reconstructions of every row, float32, row-major), which lets a test
compare the ONNX export with torch.
"""

import argparse
import json
import os
import pathlib
import time

import numpy as np
import pyarrow.parquet as pq
import torch
from torch import nn


def read_matrix(path: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    table = pq.read_table(path, columns=["FLUX", "IVAR", "MASK"])
    n = table.num_rows

    def column(name: str, dtype) -> np.ndarray:
        col = table.column(name).combine_chunks()
        values = col.flatten().to_numpy(zero_copy_only=False).astype(dtype, copy=False)
        return values.reshape(n, -1)

    return column("FLUX", np.float32), column("IVAR", np.float32), column("MASK", np.uint8)


def inputs_and_weights(flux: np.ndarray, ivar: np.ndarray, mask: np.ndarray) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    good = (mask == 0) & (ivar > 0) & np.isfinite(flux)
    x = np.where(good, flux, 0).astype(np.float32)
    w = np.where(good, ivar, 0).astype(np.float64)
    med = np.array([np.median(row[row > 0]) if (row > 0).any() else 1.0 for row in w])
    w = (w / med[:, None]).clip(0, 10).astype(np.float32)
    return torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(good)


class Vae(nn.Module):
    def __init__(self, npix: int, hidden: list[int], latent: int) -> None:
        super().__init__()
        enc, width = [], npix
        for h in hidden:
            enc += [nn.Linear(width, h), nn.SiLU()]
            width = h
        self.encoder = nn.Sequential(*enc)
        self.mu = nn.Linear(width, latent)
        self.logvar = nn.Linear(width, latent)
        dec, width = [], latent
        for h in reversed(hidden):
            dec += [nn.Linear(width, h), nn.SiLU()]
            width = h
        dec.append(nn.Linear(width, npix))
        self.decoder = nn.Sequential(*dec)

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.encoder(x)
        return self.mu(h), self.logvar(h)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mu, _ = self.encode(x)
        return self.decoder(mu), mu


def loss_of(model: Vae, x: torch.Tensor, w: torch.Tensor, beta: float, generator: torch.Generator | None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    mu, logvar = model.encode(x)
    eps = torch.randn(mu.shape, generator=generator, device=mu.device, dtype=mu.dtype)
    z = mu + eps * torch.exp(0.5 * logvar)
    recon = model.decoder(z)
    rec = (w * (recon - x) ** 2).sum(dim=1) / w.gt(0).sum(dim=1).clamp(min=1)
    kl = -0.5 * (1 + logvar - mu**2 - logvar.exp()).sum(dim=1)
    return (rec + beta * kl).mean(), rec.mean(), kl.mean()


def train_epochs(model, x, w, args, device, report=None, rank=0, world=1):
    """The training loop, shared by plain torch and each Ray Train worker (which sees its own slice of the rows)."""
    gen = torch.Generator().manual_seed(args.seed + rank)
    noise = torch.Generator(device=device).manual_seed(args.seed + 1000 + rank) if device.type == "cpu" else None
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    epochs = []
    n = x.shape[0]
    for epoch in range(args.epochs):
        t0 = time.perf_counter()
        order = torch.randperm(n, generator=gen)
        total = rec_total = kl_total = 0.0
        batches = 0
        model.train()
        for start in range(0, n, args.batch):
            idx = order[start : start + args.batch]
            xb, wb = x[idx].to(device), w[idx].to(device)
            loss, rec, kl = loss_of(model, xb, wb, args.beta, noise)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
            rec_total += rec.item()
            kl_total += kl.item()
            batches += 1
        if device.type == "cuda":
            torch.cuda.synchronize()
        e = {"epoch": epoch + 1, "loss": total / batches, "reconstruction": rec_total / batches, "kl": kl_total / batches, "seconds": round(time.perf_counter() - t0, 4)}
        epochs.append(e)
        if report:
            report(e)
        if rank == 0:
            print(f"epoch {e['epoch']}: loss {e['loss']:.5f} (reconstruction {e['reconstruction']:.5f}, kl {e['kl']:.3f}) {e['seconds']:.2f} s", flush=True)
    return epochs


def export(model: Vae, npix: int, out: pathlib.Path) -> None:
    model = model.cpu().eval()
    torch.onnx.export(
        model,
        (torch.zeros(1, npix),),
        str(out / "vae.onnx"),
        input_names=["flux"],
        output_names=["reconstruction", "latent"],
        dynamic_axes={"flux": {0: "batch"}, "reconstruction": {0: "batch"}, "latent": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )


def run_plain(args) -> None:
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    device = torch.device(args.device)
    t0 = time.perf_counter()
    flux, ivar, mask = read_matrix(args.matrix)
    x, w, _ = inputs_and_weights(flux, ivar, mask)
    if device.type == "cuda":  # the whole matrix on the device, as the anchor measures it
        x, w = x.to(device), w.to(device)
    read_seconds = time.perf_counter() - t0
    npix = x.shape[1]
    model = Vae(npix, args.hidden, args.latent).to(device)
    epochs = train_epochs(model, x, w, args, device)
    export(model, npix, out)
    with torch.no_grad():
        recon = model.cpu().eval()(x.cpu())[0].numpy().astype(np.float32)
    recon.tofile(out / "torch-reconstruction.f32")
    metrics = {
        "rows": int(x.shape[0]),
        "npix": int(npix),
        "device": str(device),
        "torch": torch.__version__,
        "threads": args.threads,
        "read_seconds": round(read_seconds, 4),
        "first_epoch_from_parquet_seconds": round(read_seconds + epochs[0]["seconds"], 4),
        "epochs": epochs,
    }
    (out / "metrics.json").write_text(json.dumps(metrics, indent=1) + "\n")
    print(f"wrote {out / 'vae.onnx'}; final loss {epochs[-1]['loss']:.5f}", flush=True)


def run_ray(args) -> None:
    import ray.train
    import ray.train.torch
    from ray.train import ScalingConfig
    from ray.train.torch import TorchTrainer

    def loop(config) -> None:
        a = argparse.Namespace(**config)
        ctx = ray.train.get_context()
        rank, world = ctx.get_world_rank(), ctx.get_world_size()
        torch.manual_seed(a.seed)
        torch.set_num_threads(a.threads)
        flux, ivar, mask = read_matrix(a.matrix)
        x, w, _ = inputs_and_weights(flux[rank::world], ivar[rank::world], mask[rank::world])
        model = ray.train.torch.prepare_model(Vae(x.shape[1], a.hidden, a.latent))
        device = ray.train.torch.get_device()
        epochs = train_epochs(model.module if hasattr(model, "module") else model, x, w, a, device, report=lambda e: ray.train.report(e), rank=rank, world=world)
        if rank == 0:
            out = pathlib.Path(a.out)
            out.mkdir(parents=True, exist_ok=True)
            export(model.module if hasattr(model, "module") else model, x.shape[1], out)
            (out / "metrics.json").write_text(json.dumps({"rows": int(flux.shape[0]), "npix": int(x.shape[1]), "ray_workers": world, "epochs": epochs}, indent=1) + "\n")

    trainer = TorchTrainer(loop, train_loop_config=vars(args), scaling_config=ScalingConfig(num_workers=args.ray_workers, use_gpu=args.device == "cuda"))
    result = trainer.fit()
    print(f"Ray Train finished: {result.metrics}", flush=True)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--matrix", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--hidden", type=lambda s: [int(v) for v in s.split(",")], default=[512, 256])
    p.add_argument("--latent", type=int, default=16)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--beta", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--device", default="cpu")
    p.add_argument("--ray-workers", type=int, default=0)
    args = p.parse_args()
    args.matrix = os.path.abspath(args.matrix)
    args.out = os.path.abspath(args.out)
    (run_ray if args.ray_workers > 0 else run_plain)(args)


if __name__ == "__main__":
    main()
