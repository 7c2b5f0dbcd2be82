import { describe, expect, it } from "vitest";
import { imageRequest, manualService, thrown } from "./helpers";

const INVALID = { code: "ValidationException", message: "The nextToken is invalid." };

function withImages(n: number) {
  const fx = manualService(0);
  const arns = Array.from({ length: n }, (_, i) => fx.service.createMicrovmImage(imageRequest(`img-${i}`)).imageArn);
  const names = (input: Record<string, unknown>) => fx.service.listMicrovmImages(input).items.map((i) => i.name);
  return { ...fx, arns, names };
}

describe("page tokens", () => {
  it("continue after the last item shown, whatever was deleted or added meanwhile", () => {
    const { service, arns, names } = withImages(4);
    const first = service.listMicrovmImages({ maxResults: 2 });
    expect(first.items.map((i) => i.name)).toEqual(["img-0", "img-1"]);
    service.deleteMicrovmImage({ imageIdentifier: arns[0]! });
    service.deleteMicrovmImage({ imageIdentifier: arns[2]! });
    service.createMicrovmImage(imageRequest("img-4"));
    expect(names({ maxResults: 2, nextToken: first.nextToken })).toEqual(["img-3", "img-4"]);
  });

  it("are refused when forged, edited, cut or joined, or made by another server", () => {
    const { service } = withImages(3);
    const token = service.listMicrovmImages({ maxResults: 1 }).nextToken!;
    const [payload, mac] = token.split(".") as [string, string];
    const body = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    const edited = Buffer.from(JSON.stringify({ ...body, after: -1 })).toString("base64url");
    const flipped = mac.replace(/^./, (c) => (c === "A" ? "B" : "A"));
    const other = manualService(0);
    other.service.createMicrovmImage(imageRequest("x"));
    other.service.createMicrovmImage(imageRequest("y"));
    const foreign = other.service.listMicrovmImages({ maxResults: 1 }).nextToken!;
    for (const nextToken of [`${edited}.${mac}`, `${payload}.${flipped}`, `${payload}.${mac.slice(1)}`, `${payload}.${mac}x`, `${payload}.${mac}.${mac}`, payload, `.${mac}`, `${payload}.`, "", ".", foreign]) {
      expect(thrown(() => service.listMicrovmImages({ maxResults: 1, nextToken }))).toMatchObject(INVALID);
    }
    // The untouched token still works.
    expect(service.listMicrovmImages({ maxResults: 1, nextToken: token }).items.map((i) => i.name)).toEqual(["img-1"]);
  });

  it("are refused for another request, saying to repeat its parameters", () => {
    const { service, arns } = withImages(3);
    const token = service.listMicrovmImages({ maxResults: 1, nameFilter: "img" }).nextToken!;
    const other = { code: "ValidationException", message: "The nextToken was issued for a different request; repeat the same parameters with it." };
    expect(thrown(() => service.listMicrovmImages({ nameFilter: "img-", nextToken: token }))).toMatchObject(other);
    expect(thrown(() => service.listMicrovms({ nextToken: token }))).toMatchObject(other);
    expect(thrown(() => service.listMicrovmImageVersions({ imageIdentifier: arns[0]!, nextToken: token }))).toMatchObject(other);
    // maxResults is not part of the request a token is bound to.
    expect(service.listMicrovmImages({ maxResults: 5, nameFilter: "img", nextToken: token }).items).toHaveLength(2);
  });

  it("are not issued for a page that holds the last item", () => {
    const { service } = withImages(2);
    expect(service.listMicrovmImages({ maxResults: 2 })).toEqual({ items: [expect.anything(), expect.anything()] });
    expect(Object.keys(service.listMicrovmImages({ maxResults: 3 }))).toEqual(["items"]);
    const first = service.listMicrovmImages({ maxResults: 1 });
    expect(service.listMicrovmImages({ maxResults: 1, nextToken: first.nextToken })).toEqual({ items: [expect.objectContaining({ name: "img-1" })] });
  });
});
