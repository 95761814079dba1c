// Original file: proto/grpc/testing/messages.proto

export const PayloadType = {
  COMPRESSABLE: 'COMPRESSABLE',
} as const;

export type PayloadType =
  | 'COMPRESSABLE'
  | 0

export type PayloadType__Output = typeof PayloadType[keyof typeof PayloadType]
