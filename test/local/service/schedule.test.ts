import { describe, expect, it } from "vitest";
import { imageRequest, manualService } from "./helpers";

describe("work planned for later", () => {
  it("forgets each of many MicroVMs exactly when its retention ends, in whatever order they were run", () => {
    const retentionMs = 1_000;
    const { service, advance } = manualService(0, { retentionMs });
    const { imageArn } = service.createMicrovmImage(imageRequest("many"));
    // Maximum durations in a scrambled order (a permutation of 1..40 s), so the planned work
    // arrives out of order; some MicroVMs are suspended and resumed, which replans theirs.
    const seconds = Array.from({ length: 40 }, (_, i) => ((i * 17) % 40) + 1);
    const ids = seconds.map((s) => service.runMicrovm({ imageIdentifier: imageArn, maximumDurationInSeconds: s }).microvmId);
    ids.forEach((microvmIdentifier, i) => {
      if (i % 3 === 0) service.suspendMicrovm({ microvmIdentifier });
    });
    ids.forEach((microvmIdentifier, i) => {
      if (i % 6 === 0) service.resumeMicrovm({ microvmIdentifier });
    });
    // The MicroVM that ends at s seconds is held until s seconds plus the retention period.
    advance(1_000 + retentionMs - 1);
    for (let s = 1; s <= 40; s++) {
      expect(service.counts().microvms).toBe(41 - s);
      advance(1);
      expect(service.counts().microvms).toBe(40 - s);
      advance(1_000 - 1);
    }
  });
});
