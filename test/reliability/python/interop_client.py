"""The client side of the public gRPC interop test cases, in Python grpcio.

Usage: interop_client.py STUBS_DIR HOST:PORT [CASE ...]

STUBS_DIR holds Python stubs generated from the interop protos with grpc_tools.protoc under
the upstream import path (src/proto/grpc/testing/...). Prints one JSON object mapping each
case to {"passed": bool, "error": str}. The cases follow
https://github.com/grpc/grpc/blob/master/doc/interop-test-descriptions.md
"""
import json
import sys
import threading
import traceback

import grpc

sys.path.insert(0, sys.argv[1])
from src.proto.grpc.testing import empty_pb2, messages_pb2, test_pb2_grpc  # noqa: E402

TIMEOUT = 20
INITIAL_KEY = "x-grpc-test-echo-initial"
INITIAL_VALUE = "test_initial_metadata_value"
TRAILING_KEY = "x-grpc-test-echo-trailing-bin"
TRAILING_VALUE = b"\x0a\x0b\x0a\x0b\x0a\x0b"
SPECIAL_MESSAGE = "\t\ntest with whitespace\r\nand Unicode BMP \u263a and non-BMP \U0001f608\t\n"


class Failed(Exception):
    pass


def check(condition, what):
    if not condition:
        raise Failed(what)


def payload(size):
    return messages_pb2.Payload(body=b"\x00" * size)


def expect_code(call, code, message=None):
    try:
        call()
    except grpc.RpcError as err:
        check(err.code() == code, "expected %s, got %s: %r" % (code, err.code(), err.details()))
        if message is not None:
            check(err.details() == message, "expected message %r, got %r" % (message, err.details()))
        return err
    raise Failed("expected %s, the call succeeded" % code)


def empty_unary(stub, channel):
    response = stub.EmptyCall(empty_pb2.Empty(), timeout=TIMEOUT)
    check(isinstance(response, empty_pb2.Empty), "response is not an Empty")


def large_unary(stub, channel):
    request = messages_pb2.SimpleRequest(response_size=314159, payload=payload(271828))
    response = stub.UnaryCall(request, timeout=TIMEOUT)
    check(response.payload.body == b"\x00" * 314159, "payload is not 314159 zero bytes")


def client_streaming(stub, channel):
    sizes = [27182, 8, 1828, 45904]
    requests = (messages_pb2.StreamingInputCallRequest(payload=payload(s)) for s in sizes)
    response = stub.StreamingInputCall(requests, timeout=TIMEOUT)
    check(response.aggregated_payload_size == 74922, "aggregated %d, not 74922" % response.aggregated_payload_size)


def server_streaming(stub, channel):
    sizes = [31415, 9, 2653, 58979]
    request = messages_pb2.StreamingOutputCallRequest(
        response_parameters=[messages_pb2.ResponseParameters(size=s) for s in sizes]
    )
    got = [len(r.payload.body) for r in stub.StreamingOutputCall(request, timeout=TIMEOUT)]
    check(got == sizes, "response sizes %r, not %r" % (got, sizes))


class Pipe:
    """A request iterator fed one message at a time (for ping-pong style calls)."""

    def __init__(self):
        self._cond = threading.Condition()
        self._items = []
        self._open = True

    def add(self, item):
        with self._cond:
            self._items.append(item)
            self._cond.notify()

    def close(self):
        with self._cond:
            self._open = False
            self._cond.notify()

    def __iter__(self):
        return self

    def __next__(self):
        with self._cond:
            while not self._items and self._open:
                self._cond.wait()
            if self._items:
                return self._items.pop(0)
            raise StopIteration


def ping_pong(stub, channel):
    pairs = [(31415, 27182), (9, 8), (2653, 1828), (58979, 45904)]
    pipe = Pipe()
    responses = stub.FullDuplexCall(pipe, timeout=TIMEOUT)
    try:
        for response_size, payload_size in pairs:
            pipe.add(
                messages_pb2.StreamingOutputCallRequest(
                    response_parameters=[messages_pb2.ResponseParameters(size=response_size)],
                    payload=payload(payload_size),
                )
            )
            response = next(responses)
            check(len(response.payload.body) == response_size, "reply of %d bytes, not %d" % (len(response.payload.body), response_size))
    finally:
        pipe.close()
    check(next(responses, None) is None, "a reply after the client half-closed")


def empty_stream(stub, channel):
    got = list(stub.FullDuplexCall(iter([]), timeout=TIMEOUT))
    check(got == [], "replies to an empty stream: %d" % len(got))


def custom_metadata(stub, channel):
    metadata = ((INITIAL_KEY, INITIAL_VALUE), (TRAILING_KEY, TRAILING_VALUE))

    def check_metadata(initial, trailing):
        check((INITIAL_KEY, INITIAL_VALUE) in [tuple(m) for m in initial], "initial metadata not echoed: %r" % (initial,))
        check((TRAILING_KEY, TRAILING_VALUE) in [tuple(m) for m in trailing], "trailing metadata not echoed: %r" % (trailing,))

    request = messages_pb2.SimpleRequest(response_size=314159, payload=payload(271828))
    response, call = stub.UnaryCall.with_call(request, metadata=metadata, timeout=TIMEOUT)
    check(len(response.payload.body) == 314159, "unary payload size")
    check_metadata(call.initial_metadata(), call.trailing_metadata())

    stream_request = messages_pb2.StreamingOutputCallRequest(
        response_parameters=[messages_pb2.ResponseParameters(size=314159)], payload=payload(271828)
    )
    responses = stub.FullDuplexCall(iter([stream_request]), metadata=metadata, timeout=TIMEOUT)
    got = [len(r.payload.body) for r in responses]
    check(got == [314159], "full duplex sizes %r" % got)
    check_metadata(responses.initial_metadata(), responses.trailing_metadata())


def status_code_and_message(stub, channel):
    message = "test status message"
    status = messages_pb2.EchoStatus(code=2, message=message)
    expect_code(lambda: stub.UnaryCall(messages_pb2.SimpleRequest(response_status=status), timeout=TIMEOUT), grpc.StatusCode.UNKNOWN, message)
    request = messages_pb2.StreamingOutputCallRequest(response_status=status)
    expect_code(lambda: list(stub.FullDuplexCall(iter([request]), timeout=TIMEOUT)), grpc.StatusCode.UNKNOWN, message)


def special_status_message(stub, channel):
    status = messages_pb2.EchoStatus(code=2, message=SPECIAL_MESSAGE)
    request = messages_pb2.SimpleRequest(response_status=status)
    expect_code(lambda: stub.UnaryCall(request, timeout=TIMEOUT), grpc.StatusCode.UNKNOWN, SPECIAL_MESSAGE)


def unimplemented_method(stub, channel):
    expect_code(lambda: stub.UnimplementedCall(empty_pb2.Empty(), timeout=TIMEOUT), grpc.StatusCode.UNIMPLEMENTED)


def unimplemented_service(stub, channel):
    other = test_pb2_grpc.UnimplementedServiceStub(channel)
    expect_code(lambda: other.UnimplementedCall(empty_pb2.Empty(), timeout=TIMEOUT), grpc.StatusCode.UNIMPLEMENTED)


def cancel_after_begin(stub, channel):
    pipe = Pipe()
    future = stub.StreamingInputCall.future(pipe, timeout=TIMEOUT)
    future.cancel()
    pipe.close()
    check(future.cancelled(), "the call is not cancelled")
    check(future.code() == grpc.StatusCode.CANCELLED, "code after cancel: %s" % future.code())


def cancel_after_first_response(stub, channel):
    pipe = Pipe()
    responses = stub.FullDuplexCall(pipe, timeout=TIMEOUT)
    pipe.add(
        messages_pb2.StreamingOutputCallRequest(
            response_parameters=[messages_pb2.ResponseParameters(size=31415)], payload=payload(27182)
        )
    )
    first = next(responses)
    check(len(first.payload.body) == 31415, "first reply size")
    responses.cancel()
    pipe.close()
    check(responses.code() == grpc.StatusCode.CANCELLED, "code after cancel: %s" % responses.code())


def timeout_on_sleeping_server(stub, channel):
    pipe = Pipe()
    responses = stub.FullDuplexCall(pipe, timeout=0.001)
    pipe.add(messages_pb2.StreamingOutputCallRequest(payload=payload(27182)))
    try:
        expect_code(lambda: next(responses), grpc.StatusCode.DEADLINE_EXCEEDED)
    finally:
        pipe.close()


CASES = [
    empty_unary,
    large_unary,
    client_streaming,
    server_streaming,
    ping_pong,
    empty_stream,
    custom_metadata,
    status_code_and_message,
    special_status_message,
    unimplemented_method,
    unimplemented_service,
    cancel_after_begin,
    cancel_after_first_response,
    timeout_on_sleeping_server,
]


def main():
    target = sys.argv[2]
    wanted = set(sys.argv[3:])
    results = {}
    with grpc.insecure_channel(target) as channel:
        grpc.channel_ready_future(channel).result(timeout=TIMEOUT)
        stub = test_pb2_grpc.TestServiceStub(channel)
        for case in CASES:
            if wanted and case.__name__ not in wanted:
                continue
            try:
                case(stub, channel)
                results[case.__name__] = {"passed": True, "error": ""}
            except Exception as err:  # report every failure, keep running the others
                detail = str(err) if isinstance(err, Failed) else traceback.format_exc(limit=3)
                results[case.__name__] = {"passed": False, "error": detail}
    print(json.dumps(results))


if __name__ == "__main__":
    main()
