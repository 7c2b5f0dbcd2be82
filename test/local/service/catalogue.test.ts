import { describe, expect, it } from "vitest";
import { imageRequest, manualService, thrown } from "./helpers";

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe("the managed catalogue", () => {
  it("lists every base image in order, dated by its first and newest versions", () => {
    const { service } = manualService();
    const { items, nextToken } = service.listManagedMicrovmImages({});
    expect(nextToken).toBeUndefined();
    expect(items).toEqual([
      { imageArn: "arn:aws:lambda:us-east-1:aws:microvm-image:al2023", createdAt: day("2025-10-01"), updatedAt: day("2026-01-15") },
      { imageArn: "arn:aws:lambda:us-east-1:aws:microvm-image:ubuntu-24-04", createdAt: day("2025-09-20"), updatedAt: day("2025-12-05") },
      { imageArn: "arn:aws:lambda:us-east-1:aws:microvm-image:debian-12", createdAt: day("2025-11-20"), updatedAt: day("2025-11-20") },
      { imageArn: "arn:aws:lambda:us-east-1:aws:microvm-image:nodejs-22", createdAt: day("2025-12-10"), updatedAt: day("2025-12-10") },
      { imageArn: "arn:aws:lambda:us-east-1:aws:microvm-image:python-3-13", createdAt: day("2025-12-12"), updatedAt: day("2025-12-12") },
    ]);
  });

  it("names the base images in the service's region", () => {
    const { service } = manualService(0, { region: "eu-west-1" });
    expect(service.listManagedMicrovmImages({ maxResults: 1 }).items[0]!.imageArn).toBe("arn:aws:lambda:eu-west-1:aws:microvm-image:al2023");
    expect(service.region).toBe("eu-west-1");
    expect(service.accountId).toBe("123456789012");
  });

  it("lists an image's versions with status and dates, by short name or by ARN of any region", () => {
    const { service } = manualService();
    const expected = [
      { imageArn: "arn:aws:lambda:us-east-1:aws:microvm-image:al2023", imageVersion: "2025.10.1", status: "DEPRECATED", createdAt: day("2025-10-01"), updatedAt: day("2025-10-01") },
      { imageArn: "arn:aws:lambda:us-east-1:aws:microvm-image:al2023", imageVersion: "2025.11.1", status: "AVAILABLE", createdAt: day("2025-11-01"), updatedAt: day("2025-11-01") },
      { imageArn: "arn:aws:lambda:us-east-1:aws:microvm-image:al2023", imageVersion: "2026.01.1", status: "AVAILABLE", createdAt: day("2026-01-15"), updatedAt: day("2026-01-15") },
    ];
    expect(service.listManagedMicrovmImageVersions({ imageIdentifier: "al2023" })).toEqual({ items: expected });
    expect(service.listManagedMicrovmImageVersions({ imageIdentifier: "arn:aws-cn:lambda:cn-north-1:aws:microvm-image:al2023" }).items).toEqual(expected);
  });

  it("pages an image's versions, and refuses a token made for another image", () => {
    const { service } = manualService();
    const first = service.listManagedMicrovmImageVersions({ imageIdentifier: "al2023", maxResults: 2 });
    expect(first.items.map((v) => v.imageVersion)).toEqual(["2025.10.1", "2025.11.1"]);
    const second = service.listManagedMicrovmImageVersions({ imageIdentifier: "al2023", maxResults: 2, nextToken: first.nextToken });
    expect(second).toEqual({ items: [expect.objectContaining({ imageVersion: "2026.01.1" })] });
    const other = thrown(() => service.listManagedMicrovmImageVersions({ imageIdentifier: "ubuntu-24-04", nextToken: first.nextToken }));
    expect(other.code).toBe("ValidationException");
  });

  it("404s an unknown image, and an ARN that is not a managed one even when its name is", () => {
    const { service } = manualService();
    for (const imageIdentifier of ["windows-95", "x:al2023", "arn:aws:lambda:us-east-1:123456789012:microvm-image:al2023", "arn:aws:lambda:us-east-1:aws:microvm-image:windows-95"]) {
      const err = thrown(() => service.listManagedMicrovmImageVersions({ imageIdentifier }));
      expect(err.code).toBe("ResourceNotFoundException");
      expect(err.message).toBe(`Managed image ${imageIdentifier} does not exist.`);
      expect(err.members).toEqual({ resourceType: "ManagedMicrovmImage", resourceId: imageIdentifier });
    }
  });
});

describe("base images of an image", () => {
  it("takes the newest AVAILABLE version when the request names none", () => {
    const { service } = manualService();
    expect(service.createMicrovmImage(imageRequest("al")).baseImageVersion).toBe("2026.01.1");
    const ubuntu = service.createMicrovmImage(imageRequest("ub", { baseImageArn: "arn:aws:lambda:us-east-1:aws:microvm-image:ubuntu-24-04" }));
    expect(ubuntu.baseImageVersion).toBe("24.04.3");
  });

  it("keeps a named version, DEPRECATED ones included, and 404s a version the base image lacks", () => {
    const { service } = manualService();
    expect(service.createMicrovmImage(imageRequest("old", { baseImageVersion: "2025.10.1" })).baseImageVersion).toBe("2025.10.1");
    const err = thrown(() => service.createMicrovmImage(imageRequest("none", { baseImageVersion: "24.04.3" })));
    expect(err.code).toBe("ResourceNotFoundException");
    expect(err.message).toBe("Base image al2023 has no version 24.04.3.");
    expect(err.members).toEqual({ resourceType: "ManagedMicrovmImageVersion", resourceId: "24.04.3" });
  });

  it("404s a base image that is not in the catalogue, saying where to look", () => {
    const { service } = manualService();
    const baseImageArn = "arn:aws:lambda:us-east-1:aws:microvm-image:nope";
    const err = thrown(() => service.createMicrovmImage(imageRequest("x", { baseImageArn })));
    expect(err.message).toBe(`Base image ${baseImageArn} does not exist; see ListManagedMicrovmImages.`);
    expect(err.members).toEqual({ resourceType: "ManagedMicrovmImage", resourceId: baseImageArn });
    expect(service.counts().images).toBe(0);
  });
});
