"""An independent gRPC client (Python grpcio) for helloworld.Greeter.

Messages are encoded by hand (both are `string field 1`), so no generated code is needed.
Prints one JSON object with what each call returned.
"""
import json
import sys

import grpc


def encode(name: str) -> bytes:
    data = name.encode("utf-8")
    return b"\x0a" + varint(len(data)) + data if data else b""


def varint(n: int) -> bytes:
    out = bytearray()
    while n > 0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def decode(data: bytes) -> str:
    pos, message = 0, ""
    while pos < len(data):
        key = data[pos]
        pos += 1
        length, shift = 0, 0
        while True:
            b = data[pos]
            pos += 1
            length |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        if key == 0x0A:
            message = data[pos : pos + length].decode("utf-8")
        pos += length
    return message


def main() -> None:
    target = sys.argv[1]
    ident = lambda b: b  # noqa: E731
    with grpc.insecure_channel(target) as channel:
        grpc.channel_ready_future(channel).result(timeout=30)
        unary = channel.unary_unary("/helloworld.Greeter/SayHello", request_serializer=ident, response_deserializer=ident)
        again = channel.unary_unary("/helloworld.Greeter/SayHelloAgain", request_serializer=ident, response_deserializer=ident)
        stream = channel.unary_stream("/helloworld.Greeter/SayHelloStreamReply", request_serializer=ident, response_deserializer=ident)
        bidi = channel.stream_stream("/helloworld.Greeter/SayHelloBidiStream", request_serializer=ident, response_deserializer=ident)
        result = {
            "sayHello": decode(unary(encode("Python"), timeout=10)),
            "sayHelloAgain": decode(again(encode("Python"), timeout=10)),
            "stream": [decode(m) for m in stream(encode("Stream"), timeout=10)],
            "bidi": [decode(m) for m in bidi(iter([encode("A"), encode("B")]), timeout=10)],
        }
        try:
            unary(encode(""), timeout=10)
            result["emptyName"] = {"code": "OK"}
        except grpc.RpcError as err:
            result["emptyName"] = {"code": err.code().name, "details": err.details()}
        try:
            channel.unary_unary("/helloworld.Greeter/Nope", request_serializer=ident, response_deserializer=ident)(b"", timeout=10)
        except grpc.RpcError as err:
            result["unknownMethod"] = {"code": err.code().name}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
