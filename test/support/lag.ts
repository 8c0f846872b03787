// Consumer lag of a group: the services' own measure (the go-live waits on it too), shared with the tests.
export { consumerLag, groupPositions } from '@warnline/runtime';
